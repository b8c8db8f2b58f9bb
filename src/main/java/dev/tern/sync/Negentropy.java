package dev.tern.sync;

import dev.tern.event.ByteKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Negentropy protocol version 1 (NIP-77 appendix), either side. A message is a version byte and ranges covering
 * the whole (timestamp, id) space; a range is skipped, or carries the sender's fingerprint of it, or the list of
 * its ids. A differing fingerprint is answered by splitting the range into 16 buckets (or by the ids, when
 * fewer than 32); an id list is answered by the responder with its own ids, and tells the initiator what
 * each side lacks. Between messages a side keeps only its {@link Checkpoints}, which make a range's fingerprint
 * cost its edges rather than its size.
 */
public final class Negentropy {
    public static final int PROTOCOL_VERSION = 0x61;
    /** The smallest frame size limit: room for the largest single range this side writes, and the closing one. */
    public static final int MIN_FRAME_SIZE = 4096;
    static final int BUCKETS = 16;
    /** Checkpoints a session keeps: about 80 bytes each, whatever the set's size. */
    static final int MAX_CHECKPOINTS = 2048;
    private static final int SKIP = 0, FINGERPRINT = 1, ID_LIST = 2;
    /** Kept free at the end of a frame for the fingerprint that covers what did not fit. */
    private static final int CLOSING_ROOM = 200;

    private final ItemSource items;
    private final int frameSizeLimit;
    private final int maxCheckpoints;
    private Checkpoints checkpoints;

    /** {@code frameSizeLimit}: the largest message this side writes, in bytes (before hex encoding). */
    public Negentropy(ItemSource items, int frameSizeLimit) {
        this(items, frameSizeLimit, MAX_CHECKPOINTS);
    }

    Negentropy(ItemSource items, int frameSizeLimit, int maxCheckpoints) {
        if (frameSizeLimit < MIN_FRAME_SIZE) throw new IllegalArgumentException("frame size limit below " + MIN_FRAME_SIZE);
        this.items = items;
        this.frameSizeLimit = frameSizeLimit;
        this.maxCheckpoints = maxCheckpoints;
    }

    /** What one side learns from an id list: ids only it has, and ids only the other side has. */
    public interface Differences {
        void have(byte[] id);

        void need(byte[] id);
    }

    /** The initiator's first message: the whole set, split. */
    public byte[] initiate() throws NegentropyException {
        try {
            MessageWriter out = new MessageWriter(0);
            out.writeByte(PROTOCOL_VERSION);
            split(Bound.ZERO, Bound.INFINITY, checkpoints().count(), out);
            return out.toByteArray();
        } finally {
            if (checkpoints != null) checkpoints.release();
        }
    }

    /** The responder's answer to one message of the initiator. */
    public byte[] respond(byte[] query) throws NegentropyException {
        return process(query, null, frameSizeLimit);
    }

    /** The same, the answer at most {@code frameLimit} bytes (at least this side's own limit). */
    public byte[] respond(byte[] query, int frameLimit) throws NegentropyException {
        return process(query, null, Math.max(frameSizeLimit, frameLimit));
    }

    /**
     * The initiator's next message after the responder's {@code answer}, reporting the differences it found;
     * null when there is nothing left to reconcile.
     */
    public byte[] reconcile(byte[] answer, Differences differences) throws NegentropyException {
        byte[] next = process(answer, differences, frameSizeLimit);
        return next.length == 1 ? null : next;
    }

    /** The number of items in this side's set (read on first use). */
    public long count() throws NegentropyException {
        return checkpoints().count();
    }

    /** The set's checkpoints, read on first use: the whole set is scanned once per session. */
    private Checkpoints checkpoints() throws NegentropyException {
        if (checkpoints == null) checkpoints = Checkpoints.build(items, maxCheckpoints);
        return checkpoints;
    }

    private byte[] process(byte[] msg, Differences initiator, int frameSizeLimit) throws NegentropyException {
        try {
            return processRanges(msg, initiator, frameSizeLimit);
        } finally {
            if (checkpoints != null) checkpoints.release();
        }
    }

    private byte[] processRanges(byte[] msg, Differences initiator, int frameSizeLimit) throws NegentropyException {
        MessageReader in = new MessageReader(msg);
        if (!in.hasMore()) throw new NegentropyException("invalid: empty negentropy message");
        int version = in.readByte();
        if (version != PROTOCOL_VERSION) {
            throw new NegentropyException(String.format(
                    "invalid: negentropy protocol version 0x%02x is not supported; this side speaks version 1 (0x61)", version));
        }
        MessageWriter out = new MessageWriter(0);
        out.writeByte(PROTOCOL_VERSION);
        Bound prev = Bound.ZERO;
        Bound written = Bound.ZERO; // the output covers the space up to here
        boolean skip = false;
        while (in.hasMore()) {
            Bound curr = in.readBound();
            if (curr.compareTo(prev) < 0) throw new NegentropyException("invalid: negentropy ranges out of order");
            long mode = in.readVarint();
            boolean settledBefore = skip; // [written, prev) holds only settled ranges, not yet written as a skip
            MessageWriter o = new MessageWriter(out.lastTimestamp());
            if (mode == SKIP) {
                skip = true;
            } else if (mode == FINGERPRINT) {
                byte[] theirs = in.readBytes(Fingerprint.SIZE);
                Fingerprint ours = checkpoints().range(prev, curr);
                if (Arrays.equals(theirs, ours.digest())) {
                    skip = true;
                } else {
                    skip = writeSkip(skip, prev, o);
                    split(prev, curr, ours.count(), o);
                }
            } else if (mode == ID_LIST) {
                Set<ByteKey> theirs = readIds(in);
                if (initiator != null) {
                    visitNewestFirst(prev, curr, item -> {
                        if (!theirs.remove(ByteKey.of(item.id()))) initiator.have(item.id());
                        return true;
                    });
                    for (ByteKey id : theirs) initiator.need(id.bytes());
                    skip = true;
                } else {
                    int room = Math.max(2 * BUCKETS - 1, (frameSizeLimit - CLOSING_ROOM - out.size()) / Item.ID_SIZE - 1);
                    long count = checkpoints().range(prev, curr).count();
                    skip = writeSkip(skip, prev, o);
                    if (count <= room) writeIdList(curr, newestFirst(prev, curr), o);
                    else split(prev, curr, count, o); // too many to list in this frame: the initiator narrows it down
                }
            } else {
                throw new NegentropyException("invalid: unknown negentropy range mode " + mode);
            }
            if (out.size() + o.size() > frameSizeLimit - CLOSING_ROOM) {
                // the rest does not fit: one fingerprint for all of it, which the other side will split again; what
                // was settled before it (equal, or an id list read) is skipped, and what the other side's message left
                // out after its last range too, so nothing is covered twice
                if (settledBefore && prev.compareTo(written) > 0) {
                    out.writeBound(prev);
                    out.writeVarint(SKIP);
                    written = prev;
                }
                Bound end = lastBound(in, curr); // past the other side's last range all was settled already
                out.writeBound(end);
                out.writeVarint(FINGERPRINT);
                out.writeBytes(checkpoints().range(written, end).digest());
                return out.toByteArray();
            }
            if (o.size() > 0) {
                out.append(o);
                written = curr;
            }
            prev = curr;
        }
        return out.toByteArray();
    }

    /** The bound of the message's last range, reading (and checking) the ranges after {@code curr}. */
    private static Bound lastBound(MessageReader in, Bound curr) throws NegentropyException {
        Bound last = curr;
        while (in.hasMore()) {
            Bound b = in.readBound();
            if (b.compareTo(last) < 0) throw new NegentropyException("invalid: negentropy ranges out of order");
            long mode = in.readVarint();
            if (mode == FINGERPRINT) in.readBytes(Fingerprint.SIZE);
            else if (mode == ID_LIST) readIds(in);
            else if (mode != SKIP) throw new NegentropyException("invalid: unknown negentropy range mode " + mode);
            last = b;
        }
        return last;
    }

    private static Set<ByteKey> readIds(MessageReader in) throws NegentropyException {
        long n = in.readVarint();
        if (n > in.remaining() / Item.ID_SIZE) throw new NegentropyException("invalid: id list longer than the message");
        Set<ByteKey> ids = new HashSet<>((int) n * 2);
        for (long i = 0; i < n; i++) ids.add(ByteKey.of(in.readBytes(Item.ID_SIZE)));
        return ids;
    }

    /** Writes the skip pending before a range that is answered; returns the new pending state (none). */
    private static boolean writeSkip(boolean pending, Bound upTo, MessageWriter o) {
        if (pending) {
            o.writeBound(upTo);
            o.writeVarint(SKIP);
        }
        return false;
    }

    /** The items of [lower, upper), newest first: from the intervals the checkpoints read already when near, else a scan. */
    private void visitNewestFirst(Bound lower, Bound upper, ItemSource.Visitor visitor) throws NegentropyException {
        List<Item> near = checkpoints().itemsIfNear(lower, upper);
        if (near == null) {
            items.scan(lower, upper, visitor);
            return;
        }
        for (int i = near.size() - 1; i >= 0; i--) {
            if (!visitor.visit(near.get(i))) return;
        }
    }

    private List<Item> newestFirst(Bound lower, Bound upper) throws NegentropyException {
        List<Item> out = new ArrayList<>();
        visitNewestFirst(lower, upper, out::add);
        return out;
    }

    /**
     * The answer to a range of {@code count} items whose fingerprints differ: its ids when fewer than 32, else 16
     * buckets, each with its fingerprint: at checkpoints when the range holds 16 of them (no item is read), else of
     * (nearly) equal counts, filled from the newest.
     */
    private void split(Bound lower, Bound upper, long count, MessageWriter o) throws NegentropyException {
        if (count < 2 * BUCKETS) {
            writeIdList(upper, newestFirst(lower, upper), o);
            return;
        }
        Checkpoints c = checkpoints();
        int above = c.locate(upper), inside = c.locateAbove(lower) - above;
        if (inside > 0) {
            splitAtCheckpoints(lower, upper, above, inside, c, o);
            return;
        }
        long[] sizes = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) sizes[i] = count / BUCKETS + (i < count % BUCKETS ? 1 : 0);
        Fingerprint[] prints = new Fingerprint[BUCKETS];
        Bound[] ends = new Bound[BUCKETS];
        ends[BUCKETS - 1] = upper;
        var state = new Object() {
            int bucket = BUCKETS - 1;
            long filled;
            Item last;
        };
        prints[state.bucket] = new Fingerprint();
        visitNewestFirst(lower, upper, item -> {
            if (state.filled == sizes[state.bucket]) { // item is the newest of the bucket below
                ends[state.bucket - 1] = Bound.between(item, state.last);
                state.bucket--;
                state.filled = 0;
                prints[state.bucket] = new Fingerprint();
            }
            prints[state.bucket].add(item.id());
            state.filled++;
            state.last = item;
            return true;
        });
        if (state.bucket != 0 || state.filled != sizes[0]) {
            throw new IllegalStateException("the item source changed between two scans of one range");
        }
        for (int i = 0; i < BUCKETS; i++) {
            o.writeBound(ends[i]);
            o.writeVarint(FINGERPRINT);
            o.writeBytes(prints[i].digest());
        }
    }

    /**
     * Checkpoints {@code above} .. {@code above + inside - 1} lie in (lower, upper): up to 15 of them, evenly spread, end
     * the buckets (fewer buckets when fewer lie inside, rather than reading the range's items).
     */
    private static void splitAtCheckpoints(Bound lower, Bound upper, int above, int inside, Checkpoints c, MessageWriter o)
            throws NegentropyException {
        int buckets = Math.min(BUCKETS, inside + 1);
        Fingerprint from = c.atOrAbove(lower);
        for (int i = 1; i < buckets; i++) {
            int j = above + (int) ((long) (buckets - i) * inside / buckets); // ascending bounds: descending checkpoints
            Fingerprint to = c.atOrAbove(j);
            from.subtract(to);
            o.writeBound(c.bound(j));
            o.writeVarint(FINGERPRINT);
            o.writeBytes(from.digest());
            from = to;
        }
        from.subtract(c.atOrAbove(upper));
        o.writeBound(upper);
        o.writeVarint(FINGERPRINT);
        o.writeBytes(from.digest());
    }

    private static void writeIdList(Bound upper, List<Item> newestFirst, MessageWriter o) {
        o.writeBound(upper);
        o.writeVarint(ID_LIST);
        o.writeVarint(newestFirst.size());
        for (int i = newestFirst.size() - 1; i >= 0; i--) o.writeBytes(newestFirst.get(i).id());
    }
}
