package dev.tern.store;

import dev.tern.event.Event;
import dev.tern.metrics.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that mutates the store, shared by the relay and imports. Requests wait in a queue
 * bounded in bytes; the thread takes the head and the small requests queued behind it and commits them
 * as one {@link EventStore#write} batch. Only after the commit does it tell the {@link CommitListener}s
 * (live fan-out: an event is announced only once durable) and then each request's {@link Completion}.
 * Between requests it sweeps expired events (NIP-40) and reclaims removed events' records in steps
 * ({@link Reclaimer}). Callbacks run on the writer thread and must be quick.
 * The store's mutations are package-private: this thread is the only one that changes the store, and the
 * other changes reach it as {@link WriterTask}s, which alone are handed a {@link StoreMutations}.
 */
public final class StoreWriter implements EventWrites, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StoreWriter.class);

    /**
     * Told of every event a commit stored, replaced with, or accepted as ephemeral, in commit order.
     * {@code sequence} is the store's write sequence after the commit: a cursor whose
     * {@link dev.tern.store.EventCursor#snapshotSequence} is at least that already holds a stored event.
     */
    @FunctionalInterface
    public interface CommitListener {
        void committed(Event event, WriteOutcome outcome, long sequence);
    }

    /** Work for the writer thread, in order with the writes: the one place a {@link StoreMutations} is handed out. */
    @FunctionalInterface
    public interface WriterTask {
        void run(StoreMutations store);
    }

    /** A request's result: its outcomes (one per event, in order), or the failure that kept it from the store. */
    @FunctionalInterface
    public interface Completion {
        void done(List<WriteOutcome> outcomes, Exception failure);
    }

    /**
     * @param queueBytes      bound of the request queue (estimated heap of the queued events)
     * @param maxBatchEvents  most events coalesced into one store write
     * @param maxBatchBytes   most estimated bytes coalesced into one store write
     * @param sweepSeconds    seconds between expiry sweeps; 0 = never
     */
    public record Settings(long queueBytes, int maxBatchEvents, long maxBatchBytes, long sweepSeconds) {
        public static Settings defaults(long queueBytes) {
            return new Settings(queueBytes, 4_096, Math.max(1, queueBytes / 2), 60);
        }
    }

    /** A batch of events to write, or (with {@code task} set and no events) work to run on the writer thread. */
    private record Request(List<Event> events, Function<List<WriteOutcome>, Checkpoint> checkpoint,
                           Completion done, long bytes, WriterTask task) {}

    /** What a queued task is charged against the queue's byte bound. */
    private static final long TASK_BYTES = 256;

    private final EventStore store;
    private final StoreMutations mutations;
    private final Settings settings;
    private final LongSupplier clockSeconds;
    private final ByteBoundedQueue<Request> queue;
    private final List<CommitListener> listeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean dead;
    /** System.nanoTime() when the writer took the request it is committing; 0 while idle (health). */
    private volatile long busySinceNanos;
    private volatile long commits;
    private long nextSweep;

    public StoreWriter(EventStore store, Settings settings) {
        this(store, settings, () -> System.currentTimeMillis() / 1000);
    }

    /** With an explicit clock (seconds), used for NIP-40 expiry decisions and sweeps. */
    public StoreWriter(EventStore store, Settings settings, LongSupplier clockSeconds) {
        this.store = store;
        this.mutations = new StoreMutations(store);
        this.settings = settings;
        this.clockSeconds = clockSeconds;
        this.queue = new ByteBoundedQueue<>(settings.queueBytes());
        this.nextSweep = settings.sweepSeconds() > 0 ? clockSeconds.getAsLong() + settings.sweepSeconds() : Long.MAX_VALUE;
        this.thread = new Thread(this::run, "store-writer");
        thread.start();
    }

    /** The store this writer changes, for reads. */
    @Override
    public EventStore store() {
        return store;
    }

    public void addListener(CommitListener listener) {
        listeners.add(listener);
    }

    public void removeListener(CommitListener listener) {
        listeners.remove(listener);
    }

    /** Queues a write without waiting (the relay); false if the queue is full or the writer is closed. */
    @Override
    public boolean offer(List<Event> events, Completion done) {
        return !dead && queue.offer(new Request(List.copyOf(events), null, done, bytesOf(events), null), bytesOf(events));
    }

    /**
     * Queues a write, waiting for room (backpressure for imports). Its checkpoint (nullable) is made from the
     * write's own outcomes, so counters stored with it include this batch; it is called on the writer thread
     * inside the store write, before the commit.
     */
    @Override
    public void put(List<Event> events, Function<List<WriteOutcome>, Checkpoint> checkpoint, Completion done)
            throws InterruptedException {
        if (dead) throw new IllegalStateException("the store writer has stopped");
        long bytes = bytesOf(events);
        queue.put(new Request(List.copyOf(events), checkpoint, done, bytes, null), bytes);
    }

    /**
     * Queues {@code task} to run on the writer thread, in order with the writes, for the rare mutation
     * that is not an event write (an operator removing a banned event, a meta value). The task reports
     * its own result and must be quick. False if the queue is full or the writer is closed.
     */
    public boolean offerTask(WriterTask task) {
        return !dead && queue.offer(new Request(List.of(), null, null, TASK_BYTES, task), TASK_BYTES);
    }

    /** Like {@link #offerTask}, waiting for room (the cluster log's applier, which must not skip an entry). */
    public void putTask(WriterTask task) throws InterruptedException {
        if (dead) throw new IllegalStateException("the store writer has stopped");
        queue.put(new Request(List.of(), null, null, TASK_BYTES, task), TASK_BYTES);
    }

    /**
     * Ends the store's bulk load ({@link EventStore#finishBulkLoad}) after the writes queued before it, and
     * waits until it has; it throws what stopped it.
     */
    public void finishBulkLoad() throws InterruptedException {
        CompletableFuture<Void> finished = new CompletableFuture<>();
        Completion done = (outcomes, failure) -> {
            if (failure == null) finished.complete(null);
            else finished.completeExceptionally(failure);
        };
        queue.put(new Request(List.of(), null, done, TASK_BYTES, s -> store.finishBulkLoad()), TASK_BYTES);
        try {
            finished.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new StoreException("finishing the bulk load failed", e.getCause());
        }
    }

    /** False once the writer thread has stopped (closed or failed). */
    public boolean isRunning() {
        return !dead;
    }

    /** How long the current commit has been running (0 while idle): a stuck store shows here first. */
    public long busyNanos() {
        long since = busySinceNanos;
        return since == 0 ? 0 : System.nanoTime() - since;
    }

    /** Store writes committed so far (each may hold several coalesced requests). */
    public long commits() {
        return commits;
    }

    /**
     * Stops taking requests, commits those already queued, then stops the thread. If the caller is
     * interrupted meanwhile it returns early (interrupt flag set) and the thread still drains the queue.
     */
    @Override
    public void close() {
        queue.close();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            boolean reclaiming = false;
            while (true) {
                long now = clockSeconds.getAsLong();
                // while a purge is under way, its next step is due as soon as no request waits
                long wait = reclaiming ? 0 : Math.max(1, Math.min(nextSweep - now, 3_600));
                Request first = queue.poll(wait, TimeUnit.SECONDS);
                if (first == null) {
                    if (queue.isClosedAndEmpty()) return;
                } else {
                    busySinceNanos = System.nanoTime();
                    if (first.task != null) runTask(first);
                    else commit(coalesce(first));
                    busySinceNanos = 0;
                }
                sweepIfDue();
                reclaiming = reclaimStep();
            }
        } catch (InterruptedException e) {
            log.warn("store writer interrupted; {} bytes of requests left unwritten", queue.bytes());
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            log.error("store writer stopped by an unexpected error", e);
            throw e;
        } finally {
            dead = true;
            queue.close();
            failRemaining();
        }
    }

    /** The head plus whatever queued behind it fits the batch limits, keeping at most one checkpoint. */
    private List<Request> coalesce(Request first) {
        List<Request> group = new ArrayList<>();
        group.add(first);
        int events = first.events.size();
        long bytes = first.bytes;
        boolean checkpointed = first.checkpoint != null;
        Request next;
        while ((next = queue.peek()) != null && next.task == null && events + next.events.size() <= settings.maxBatchEvents()
                && bytes + next.bytes <= settings.maxBatchBytes() && !(checkpointed && next.checkpoint != null)) {
            group.add(queue.pollNow());
            events += next.events.size();
            bytes += next.bytes;
            checkpointed |= next.checkpoint != null;
        }
        return group;
    }

    private void commit(List<Request> group) {
        List<Event> batch = group.size() == 1 ? group.get(0).events : new ArrayList<>();
        Function<List<WriteOutcome>, Checkpoint> checkpoint = null;
        int from = 0;
        for (Request r : group) {
            if (r.checkpoint != null) checkpoint = sliced(r.checkpoint, from, r.events.size());
            if (group.size() > 1) batch.addAll(r.events);
            from += r.events.size();
        }
        List<WriteOutcome> outcomes;
        try {
            outcomes = store.write(batch, checkpoint, clockSeconds.getAsLong());
        } catch (RuntimeException e) {
            log.error("store write of {} events failed", batch.size(), e);
            for (Request r : group) complete(r, null, e);
            return;
        }
        countOutcomes(outcomes);
        commits++; // only this thread writes it
        // this commit's: the sweep and the reclaimer write only after the listeners ran, on this thread
        long sequence = store.writeSequence();
        for (int i = 0; i < batch.size(); i++) {
            WriteOutcome o = outcomes.get(i);
            if (o == WriteOutcome.STORED || o == WriteOutcome.REPLACED_OLDER || o == WriteOutcome.EPHEMERAL_NOT_STORED) {
                for (CommitListener l : listeners) {
                    try {
                        l.committed(batch.get(i), o, sequence);
                    } catch (RuntimeException e) {
                        log.error("commit listener failed", e);
                    }
                }
            }
        }
        from = 0;
        for (Request r : group) {
            complete(r, outcomes.subList(from, from + r.events.size()), null);
            from += r.events.size();
        }
    }

    private static void countOutcomes(List<WriteOutcome> outcomes) {
        Metrics m = Metrics.get();
        long stored = 0;
        for (WriteOutcome o : outcomes) {
            switch (o) {
                case STORED, REPLACED_OLDER -> stored++;
                case DUPLICATE -> m.eventRejected("duplicate");
                case SUPERSEDED -> m.eventRejected("superseded");
                case DELETED_BEFORE, VANISHED -> m.eventRejected("deleted");
                case EXPIRED -> m.eventRejected("expired");
                case EPHEMERAL_NOT_STORED -> { } // delivered live, never stored by design
            }
        }
        m.eventsStored(stored);
    }

    private void runTask(Request r) {
        try {
            r.task.run(mutations);
        } catch (RuntimeException e) {
            log.error("store writer task failed", e);
            complete(r, null, e);
            return;
        }
        complete(r, List.of(), null);
    }

    /** The checkpointing request's own slice of the outcomes is what its checkpoint function sees. */
    private static Function<List<WriteOutcome>, Checkpoint> sliced(Function<List<WriteOutcome>, Checkpoint> f, int from, int size) {
        if (f == null) return null;
        return outcomes -> f.apply(outcomes.subList(from, from + size));
    }

    private void sweepIfDue() {
        long now = clockSeconds.getAsLong();
        if (now < nextSweep) return;
        nextSweep = now + settings.sweepSeconds();
        try {
            store.sweepExpired(now);
        } catch (RuntimeException e) {
            log.error("expiry sweep failed", e);
        }
    }

    /** One step of reclaiming removed events' records, if one is due; true if more remains. */
    private boolean reclaimStep() {
        try {
            return store.reclaimStep();
        } catch (RuntimeException e) {
            log.error("reclaiming removed events' records failed", e);
            return false;
        }
    }

    private void failRemaining() {
        IllegalStateException stopped = new IllegalStateException("the store writer has stopped");
        Request r;
        while ((r = queue.pollNow()) != null) complete(r, null, stopped);
    }

    private static void complete(Request r, List<WriteOutcome> outcomes, Exception failure) {
        if (r.done == null) return;
        try {
            r.done.done(outcomes, failure);
        } catch (RuntimeException e) {
            log.error("write completion callback failed", e);
        }
    }

    private static long bytesOf(List<Event> events) {
        long b = 0;
        for (Event e : events) b += EventSize.heapBytes(e);
        return b;
    }
}
