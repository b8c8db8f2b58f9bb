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
 * each side lacks. Nothing is kept between messages: every range is read afresh from the {@link ItemSource}.
 */
public final class Negentropy {
    public static final int PROTOCOL_VERSION = 0x61;
    /** The smallest frame size limit: room for the largest single range this side writes, and the closing one. */
    public static final int MIN_FRAME_SIZE = 4096;
    static final int BUCKETS = 16;
    private static final int SKIP = 0, FINGERPRINT = 1, ID_LIST = 2;
    /** Kept free at the end of a frame for the fingerprint that covers what did not fit. */
    private static final int CLOSING_ROOM = 200;

    private final ItemSource items;
    private final int frameSizeLimit;

    /** {@code frameSizeLimit}: the largest message this side writes, in bytes (before hex encoding). */
    public Negentropy(ItemSource items, int frameSizeLimit) {
        if (frameSizeLimit < MIN_FRAME_SIZE) throw new IllegalArgumentException("frame size limit below " + MIN_FRAME_SIZE);
        this.items = items;
        this.frameSizeLimit = frameSizeLimit;
    }

    /** What one side learns from an id list: ids only it has, and ids only the other side has. */
    public interface Differences {
        void have(byte[] id);

        void need(byte[] id);
    }

    /** The initiator's first message: the whole set, split. */
    public byte[] initiate() throws NegentropyException {
        MessageWriter out = new MessageWriter(0);
        out.writeByte(PROTOCOL_VERSION);
        split(Bound.ZERO, Bound.INFINITY, summarize(Bound.ZERO, Bound.INFINITY, 2 * BUCKETS - 1), out);
        return out.toByteArray();
    }

    /** The responder's answer to one message of the initiator. */
    public byte[] respond(byte[] query) throws NegentropyException {
        return process(query, null);
    }

    /**
     * The initiator's next message after the responder's {@code answer}, reporting the differences it found;
     * null when there is nothing left to reconcile.
     */
    public byte[] reconcile(byte[] answer, Differences differences) throws NegentropyException {
        byte[] next = process(answer, differences);
        return next.length == 1 ? null : next;
    }

    private byte[] process(byte[] msg, Differences initiator) throws NegentropyException {
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
            MessageWriter o = new MessageWriter(out.lastTimestamp());
            if (mode == SKIP) {
                skip = true;
            } else if (mode == FINGERPRINT) {
                byte[] theirs = in.readBytes(Fingerprint.SIZE);
                Summary ours = summarize(prev, curr, 2 * BUCKETS - 1);
                if (Arrays.equals(theirs, ours.fingerprint())) {
                    skip = true;
                } else {
                    skip = writeSkip(skip, prev, o);
                    split(prev, curr, ours, o);
                }
            } else if (mode == ID_LIST) {
                Set<ByteKey> theirs = readIds(in);
                if (initiator != null) {
                    items.scan(prev, curr, item -> {
                        if (!theirs.remove(ByteKey.of(item.id()))) initiator.have(item.id());
                        return true;
                    });
                    for (ByteKey id : theirs) initiator.need(id.bytes());
                    skip = true;
                } else {
                    int room = Math.max(2 * BUCKETS - 1, (frameSizeLimit - CLOSING_ROOM - out.size()) / Item.ID_SIZE - 1);
                    Summary ours = summarize(prev, curr, room);
                    skip = writeSkip(skip, prev, o);
                    if (ours.items() != null) writeIdList(curr, ours.items(), o);
                    else split(prev, curr, ours, o); // too many to list in this frame: the initiator narrows it down
                }
            } else {
                throw new NegentropyException("invalid: unknown negentropy range mode " + mode);
            }
            if (out.size() + o.size() > frameSizeLimit - CLOSING_ROOM) {
                // the rest does not fit: one fingerprint for all of it, which the other side will split again
                out.writeBound(Bound.INFINITY);
                out.writeVarint(FINGERPRINT);
                out.writeBytes(summarize(written, Bound.INFINITY, 0).fingerprint());
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

    /** A range's count and fingerprint, and its items (newest first) when there are at most {@code keep}. */
    private record Summary(long count, byte[] fingerprint, List<Item> items) {}

    private Summary summarize(Bound lower, Bound upper, int keep) throws NegentropyException {
        Fingerprint fp = new Fingerprint();
        List<Item> kept = new ArrayList<>();
        items.scan(lower, upper, item -> {
            fp.add(item.id());
            if (kept.size() <= keep) kept.add(item);
            return true;
        });
        return new Summary(fp.count(), fp.digest(), fp.count() <= keep ? kept : null);
    }

    /**
     * The answer to a range whose fingerprints differ: its ids when fewer than 32, else 16 buckets of (nearly)
     * equal counts, each with its fingerprint. The scan runs newest first, so the buckets fill from the last.
     */
    private void split(Bound lower, Bound upper, Summary summary, MessageWriter o) throws NegentropyException {
        if (summary.count() < 2 * BUCKETS) {
            writeIdList(upper, summary.items(), o);
            return;
        }
        long[] sizes = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) sizes[i] = summary.count() / BUCKETS + (i < summary.count() % BUCKETS ? 1 : 0);
        Fingerprint[] prints = new Fingerprint[BUCKETS];
        Bound[] ends = new Bound[BUCKETS];
        ends[BUCKETS - 1] = upper;
        var state = new Object() {
            int bucket = BUCKETS - 1;
            long filled;
            Item last;
        };
        prints[state.bucket] = new Fingerprint();
        items.scan(lower, upper, item -> {
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

    private static void writeIdList(Bound upper, List<Item> newestFirst, MessageWriter o) {
        o.writeBound(upper);
        o.writeVarint(ID_LIST);
        o.writeVarint(newestFirst.size());
        for (int i = newestFirst.size() - 1; i >= 0; i--) o.writeBytes(newestFirst.get(i).id());
    }
}
