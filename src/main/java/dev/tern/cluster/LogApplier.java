package dev.tern.cluster;

import dev.tern.acl.Nip86Calls;
import dev.tern.acl.Nip86Handler;
import dev.tern.event.ByteKey;
import dev.tern.event.Event;
import dev.tern.event.EventParser;
import dev.tern.event.Hex;
import dev.tern.ingest.ImportPolicy;
import dev.tern.store.Checkpoint;
import dev.tern.store.EventSize;
import dev.tern.store.EventStore;
import dev.tern.store.RefusedWrite;
import dev.tern.store.StoreWriter;
import io.nats.client.Connection;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullRequestOptions;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.StreamContext;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StreamInfo;
import io.nats.client.api.StreamState;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code cluster-applier} thread: reads the log in order from the entry after the last one this node
 * applied and applies every entry through the store's single writer, events in batches (1,000 events, or a
 * quarter of {@link ClusterSettings#pendingBytes} of heap), each batch's last
 * stream sequence committed in the same write ({@link #APPLIED_KEY}), so after a crash it resumes exactly
 * there. Every node applies the same entries in the same order to the same deterministic writer, so their
 * stores are the same; the clients of this node waiting for an entry hear its outcome here.
 */
final class LogApplier implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LogApplier.class);
    /** The stream sequence of the last entry this store reflects (8 bytes), written with the entries. */
    static final String APPLIED_KEY = "cluster/applied";
    private static final int BATCH_EVENTS = 1_000;
    /** What the consumer asks NATS for and has not taken (or twice the servers' max_payload): part of the cluster's memory share. */
    static final long CONSUME_BYTES = 2L << 20;
    /** A pull's message count: high enough that its bytes, not its count, bound it. */
    private static final int PULL_MESSAGES = 100_000;
    /** Pull requests expire this soon, so a reader whose server was lost notices within seconds. */
    private static final long PULL_EXPIRES_MILLIS = 5_000;
    /** How long the reader may bring nothing before the log's last sequence is asked (a stalled reader, the lag). */
    private static final long STALL_CHECK_NANOS = TimeUnit.SECONDS.toNanos(2);

    enum State { CONNECTING, APPLYING, BEHIND, FAILED }

    private final ClusterSettings settings;
    private final NatsLink link;
    private final StoreWriter writer;
    private final Waiters waiters;
    private final ImportPolicy policy;
    private volatile Nip86Calls.Effect nip86;
    private final Thread thread;
    private final CountDownLatch closing = new CountDownLatch(1);

    private volatile long applied;
    private volatile long last;
    private volatile State state = State.CONNECTING;
    /** The highest sequence taken from the log and handed to the writer (this thread only). */
    private long received;
    /** Gaps met in a row at {@link #received} (this thread only). */
    private int gaps;
    private final List<Event> batch = new ArrayList<>();
    /** Whether each event of {@link #batch} came in an entry of this node's, whose waiting client it answers. */
    private final List<Boolean> batchMine = new ArrayList<>();
    private long batchBytes;
    /** A batch's heap, a quarter of the clients' share. */
    private final long maxBatchBytes;
    /** Batches handed to the writer and not yet committed: one commits while the next waits, no more. */
    private final Semaphore inWriter = new Semaphore(2);
    private long batchSeq;
    /** The sequence of the last entry handed to the writer (this thread only): a batch up to it is not handed again. */
    private long handed;

    LogApplier(ClusterSettings settings, NatsLink link, EventStore store, StoreWriter writer, Waiters waiters,
               ImportPolicy policy) {
        this.settings = settings;
        this.link = link;
        this.writer = writer;
        this.waiters = waiters;
        this.policy = policy;
        this.applied = store.meta(APPLIED_KEY).map(v -> ByteBuffer.wrap(v).getLong()).orElse(0L);
        this.received = applied;
        this.batchSeq = applied;
        this.handed = applied;
        this.last = applied;
        this.maxBatchBytes = Math.max(1, settings.pendingBytes() / 4);
        this.thread = Thread.ofPlatform().name("cluster-applier").unstarted(this::run);
    }

    void applyNip86With(Nip86Calls.Effect effect) {
        this.nip86 = effect;
    }

    void start() {
        thread.start();
    }

    long applied() { return applied; }

    /** The log's last sequence as this node last saw it (at least what it applied). */
    long last() { return Math.max(last, applied); }

    State state() { return state; }

    private void run() {
        try {
            follow();
        } catch (RuntimeException | Error e) {
            failed("the log's reader stopped: " + e);
            throw e;
        }
    }

    private void follow() {
        while (closing.getCount() > 0) {
            try {
                Connection c = link.awaitConnection(1_000);
                if (c == null) continue;
                StreamInfo info = link.ensureStream(c);
                StreamState s = info.getStreamState();
                last = Math.max(last, s.getLastSequence());
                if (received + 1 < s.getFirstSequence()) {
                    behind("the log no longer holds entry " + (received + 1) + " (it starts at " + s.getFirstSequence() + ")");
                    return;
                }
                consume(c);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (closing.getCount() == 0) return;
                log.warn("cluster: reading the log failed ({}); retrying", e.toString());
                try {
                    closing.await(1, TimeUnit.SECONDS); // a pause before retrying, cut short by close
                } catch (InterruptedException ie) {
                    return;
                }
            }
            if (state == State.BEHIND || state == State.FAILED) return;
        }
    }

    private void consume(Connection c) throws Exception {
        long epoch = link.epoch();
        JetStreamSubscription sub = subscribe(c);
        StreamContext stream = c.getStreamContext(settings.stream());
        // twice the largest entry, so every entry fits the pull after one it ended (PullWindow)
        PullWindow window = new PullWindow(Math.max(CONSUME_BYTES, 2L * c.getServerInfo().getMaxPayload()),
                TimeUnit.MILLISECONDS.toNanos(PULL_EXPIRES_MILLIS));
        long idleSince = System.nanoTime();
        try {
            state = State.APPLYING;
            while (closing.getCount() > 0 && state == State.APPLYING) {
                long now = System.nanoTime();
                long ask = window.ask(now);
                if (ask > 0) {
                    sub.pull(PullRequestOptions.builder(PULL_MESSAGES).maxBytes(ask)
                            .expiresIn(Duration.ofMillis(PULL_EXPIRES_MILLIS)).build());
                }
                // wait long when idle (but not past the pull's end); when a batch is open, only as long as the next entry takes
                long waitMillis = batch.isEmpty() ? Math.min(500, Math.max(1, TimeUnit.NANOSECONDS.toMillis(window.untilEnd(now)))) : 2;
                Message m = sub.nextMessage(Duration.ofMillis(waitMillis));
                if (m != null) {
                    window.taken(m.consumeByteCount());
                    if (!take(m)) return; // a gap: read again from the next entry
                    idleSince = System.nanoTime();
                    continue;
                }
                flush();
                // after a reconnection, or when the log has entries this reader does not bring (its server was lost),
                // the outer loop reads again from the next entry
                if (!link.isConnected() || link.epoch() != epoch) return;
                if (System.nanoTime() - idleSince > STALL_CHECK_NANOS) {
                    long streamLast = stream.getStreamInfo().getStreamState().getLastSequence();
                    last = Math.max(last, streamLast);
                    if (streamLast > received) {
                        log.info("cluster: the log holds entries up to {} and this reader stopped at {}; reading again", streamLast, received);
                        return;
                    }
                    idleSince = System.nanoTime();
                }
            }
        } finally {
            flush();
            try {
                sub.unsubscribe(); // its consumer goes with it (and by the server's inactivity threshold otherwise)
            } catch (RuntimeException ignored) {
                // the connection is gone; the server drops the consumer when it is inactive
            }
        }
    }

    /**
     * A pull consumer of the log from the entry after the last one taken: ephemeral, in memory, one replica, no acks,
     * as jnats' ordered consumers are, but pulled by {@link PullWindow} so the entries waiting here stay bounded.
     */
    private JetStreamSubscription subscribe(Connection c) throws Exception {
        ConsumerConfiguration config = ConsumerConfiguration.builder()
                .filterSubject(settings.subject())
                .deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(received + 1)
                .ackPolicy(AckPolicy.None).memStorage(true).numReplicas(1)
                .inactiveThreshold(Duration.ofSeconds(30))
                .build();
        return c.jetStream().subscribe(settings.subject(),
                PullSubscribeOptions.builder().stream(settings.stream()).configuration(config).build());
    }

    /** Takes one entry of the log; false when entries before it did not come (read again, or behind if they did not twice). */
    private boolean take(Message m) throws InterruptedException {
        long seq = m.metaData().streamSequence();
        if (seq <= received) return true; // delivered again after the consumer was made again
        if (seq != received + 1) {
            flush();
            // a consumer without acks loses what was in flight when its server went; a second gap at the same entry
            // means the entries are gone (deleted from the stream)
            if (++gaps >= 2) behind("entries " + (received + 1) + " to " + (seq - 1) + " are gone from the log");
            return false;
        }
        gaps = 0;
        received = seq;
        last = Math.max(last, seq + m.metaData().pendingCount());
        String kind = Entry.kindOf(m.getHeaders());
        // only this node's own entries answer its clients: another node's copy of the same event, logged earlier,
        // is not the answer to what this node sent (a deletion may stand between them)
        boolean mine = settings.node().equals(m.getHeaders().getFirst(Entry.NODE));
        if (Entry.EVENT.equals(kind)) {
            takeEvent(m.getData(), mine);
        } else if (Entry.EVENTS.equals(kind)) {
            byte[] body = m.getData();
            for (int from = 0, nl; from < body.length; from = nl + 1) {
                nl = indexOf(body, (byte) '\n', from);
                takeEvent(Arrays.copyOfRange(body, from, nl), mine);
            }
        } else if (Entry.NIP86.equals(kind)) {
            flush();
            applyCall(seq, m);
            return true;
        } else {
            log.warn("cluster: entry {} of the log is not tern's ({}); skipped", seq, kind);
        }
        batchSeq = seq;
        if (batch.size() >= BATCH_EVENTS || batchBytes >= maxBatchBytes) flush();
        return true;
    }

    private static int indexOf(byte[] a, byte b, int from) {
        for (int i = from; i < a.length; i++) if (a[i] == b) return i;
        return a.length;
    }

    private void takeEvent(byte[] json, boolean mine) {
        Event e;
        try {
            e = EventParser.parseStored(json); // verified by the node that took it from its client
        } catch (RuntimeException bad) {
            log.warn("cluster: a malformed event in the log was skipped: {}", bad.getMessage());
            return;
        }
        // the NIP-86 state here is the log's up to this entry, so a ban earlier in the log refuses it on every node
        String refusal = policy.refusal(e);
        if (refusal != null) {
            if (mine) waiters.refused(ByteKey.of(e.id()), new RefusedWrite(refusal));
            return;
        }
        batch.add(e);
        batchMine.add(mine);
        batchBytes += EventSize.heapBytes(e);
    }

    /** Hands the open batch to the writer with the sequence of its last entry; its completion answers the waiters. */
    private void flush() throws InterruptedException {
        if (batchSeq <= handed && batch.isEmpty()) return;
        List<Event> events = List.copyOf(batch);
        List<Boolean> mine = List.copyOf(batchMine);
        long seq = batchSeq;
        handed = seq;
        batch.clear();
        batchMine.clear();
        batchBytes = 0;
        byte[] value = sequenceValue(seq);
        inWriter.acquire();
        writer.put(events, outcomes -> new Checkpoint(APPLIED_KEY, value), (outcomes, failure) -> {
            inWriter.release();
            if (failure != null) {
                failed("the store writer could not apply entries up to " + seq + ": " + failure.getMessage());
                return;
            }
            applied = seq;
            for (int i = 0; i < events.size(); i++) {
                if (mine.get(i)) waiters.applied(ByteKey.of(events.get(i).id()), outcomes.get(i));
            }
        });
    }

    private void applyCall(long seq, Message m) throws InterruptedException {
        byte[] body = m.getData();
        String admin = m.getHeaders().getFirst(Entry.ADMIN);
        String messageId = m.getHeaders().getFirst("Nats-Msg-Id");
        byte[] value = sequenceValue(seq);
        handed = seq;
        writer.putTask(store -> {
            Nip86Handler.Response r;
            if (nip86 == null) r = Nip86Handler.unavailable("NIP-86 management is not served on this node (not in managed mode)");
            else r = nip86.apply(store, body, admin == null ? null : ByteKey.of(Hex.decode(admin)));
            store.putMeta(APPLIED_KEY, value); // a decision applied twice after a crash is the same decision
            applied = seq;
            if (messageId != null) waiters.called(messageId, r);
        });
        batchSeq = seq;
    }

    private static byte[] sequenceValue(long seq) {
        return ByteBuffer.allocate(8).putLong(seq).array();
    }

    private void behind(String why) {
        state = State.BEHIND;
        log.error("cluster: this node cannot follow the log: {}; start it from a peer's snapshot (see docs/CLUSTER.md)", why);
    }

    private void failed(String why) {
        state = State.FAILED;
        log.error("cluster: {}", why);
    }

    @Override
    public void close() {
        closing.countDown();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
