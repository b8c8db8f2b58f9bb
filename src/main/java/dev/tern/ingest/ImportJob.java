package dev.tern.ingest;

import dev.tern.event.Event;
import dev.tern.event.EventParser;
import dev.tern.metrics.Metrics;
import dev.tern.metrics.ProcessCpu;
import dev.tern.metrics.ProcessMemory;
import dev.tern.store.Checkpoint;
import dev.tern.store.EventWrites;
import dev.tern.store.StoreWriter;
import dev.tern.store.WriteOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One import of a JSONL stream: reader -> N parse/verify workers -> {@link StoreWriter}.
 *
 * <p>The calling thread reads chunks of lines and hands each to the worker pool; the futures are queued
 * in input order and a batcher thread takes them in that order, so the store sees events exactly as a
 * sequential import would (replaceable and deletion outcomes included). Everything between reading and
 * committing is charged to one byte budget ({@link ImportSettings#queueBytes()}), released when the batch
 * commits: when the store is slow the reader waits. Each batch carries a checkpoint (when the input has a
 * fingerprint) made inside the store write from the batch's own outcomes, so the offset and the counters
 * stored with it describe exactly the committed input.
 */
public final class ImportJob {
    public enum State { READY, RUNNING, COMPLETE, TRUNCATED, FAILED }

    private static final Logger log = LoggerFactory.getLogger(ImportJob.class);
    private static final CompletableFuture<ParsedChunk> FLUSH = CompletableFuture.completedFuture(null);
    private static final CompletableFuture<ParsedChunk> END = CompletableFuture.completedFuture(null);

    private final String id;
    private final String source;
    private final CountingInputStream input;
    private final long totalBytes;
    private final EventWrites writer;
    private final ImportSettings settings;
    private final InputFingerprint fingerprint;
    private final ImportCheckpoint resumeFrom;
    private final Consumer<List<ImportError>> errorSink;

    private final int permitCapacityKb;
    private final Semaphore permitsKb;
    private final BlockingQueue<Future<ParsedChunk>> sequenced = new LinkedBlockingQueue<>();
    private volatile ImportCounts committed;
    private volatile State state = State.READY;
    private volatile Exception failure;
    private volatile Truncation truncation;
    private volatile long readOffset; // decompressed bytes read into chunks, for the share of the input done
    private CompletableFuture<Void> lastWrite = CompletableFuture.completedFuture(null); // batcher thread only
    private volatile long startNanos;
    private volatile long endNanos;
    private final long baseEvents;
    private final long baseBytes;

    /**
     * @param input       the raw input (compressed or not: gzip and zstd are recognised)
     * @param totalBytes  its size if known, else -1 (progress only)
     * @param fingerprint identifies a file so batches carry checkpoints; null for streams (no resume)
     * @param resumeFrom  a checkpoint of an interrupted import of the same file to continue from, or null
     * @param errorSink   told of each committed batch's rejected lines (when it has any), in input order; may be null
     */
    public ImportJob(String id, String source, InputStream input, long totalBytes, EventWrites writer,
                     ImportSettings settings, InputFingerprint fingerprint, ImportCheckpoint resumeFrom,
                     Consumer<List<ImportError>> errorSink) {
        if (resumeFrom != null && (fingerprint == null || !fingerprint.sameContentAs(resumeFrom.input()))) {
            throw new IllegalArgumentException("the checkpoint is of a different input");
        }
        this.id = id;
        this.source = source;
        this.input = new CountingInputStream(input);
        this.totalBytes = totalBytes;
        this.writer = writer;
        this.settings = settings;
        this.fingerprint = fingerprint;
        this.resumeFrom = resumeFrom;
        this.errorSink = errorSink;
        this.permitCapacityKb = (int) Math.min(Integer.MAX_VALUE, settings.queueBytes() >> 10);
        this.permitsKb = new Semaphore(permitCapacityKb);
        this.committed = resumeFrom == null ? new ImportCounts() : resumeFrom.counts().copy();
        this.baseEvents = committed.eventsProcessed();
        this.baseBytes = committed.get(ImportCounts.Counter.BYTES);
    }

    public String id() { return id; }

    public State state() { return state; }

    /** Totals committed so far (the whole input, earlier runs included). */
    public ImportCounts counts() { return committed; }

    public ImportProgress progress() {
        ImportCounts c = committed;
        long end = endNanos != 0 ? endNanos : System.nanoTime();
        double secs = startNanos == 0 ? 0 : (end - startNanos) / 1e9;
        long events = c.eventsProcessed() - baseEvents;
        long bytes = c.get(ImportCounts.Counter.BYTES) - baseBytes;
        long read = input.count(), readDecompressed = readOffset, committedDecompressed = c.get(ImportCounts.Counter.BYTES);
        long done = readDecompressed <= 0 ? 0 : (long) (read * Math.min(1.0, (double) committedDecompressed / readDecompressed));
        return new ImportProgress(read, done, totalBytes, c.get(ImportCounts.Counter.LINES_READ),
                c.get(ImportCounts.Counter.STORED), c.eventsProcessed(), c.rejectedTotal(), secs,
                secs > 0 ? events / secs : 0, secs > 0 ? bytes / 1e6 / secs : 0, ProcessMemory.rssBytes());
    }

    /**
     * Runs the import on the calling thread (plus the workers and a batcher) and returns its report. Bad
     * lines are counted, never fatal; a read or store failure ends the import with a failed report, the
     * last checkpoint intact. An input cut off (see {@link Truncation}) ends truncated, every whole line imported.
     */
    public ImportReport run() throws InterruptedException {
        if (state != State.READY) throw new IllegalStateException("an import job runs once");
        state = State.RUNNING;
        startNanos = System.nanoTime();
        double startCpu = ProcessCpu.seconds();
        EventParser parser = settings.verify() ? new EventParser(true, verifiedIds()) : new EventParser(false);
        ExecutorService workers = Executors.newFixedThreadPool(settings.threads(), r -> daemon(r, "import-worker-" + id));
        Thread batcher = daemon(this::batch, "import-batcher-" + id);
        batcher.start();
        try {
            read(parser, workers);
        } catch (IOException e) {
            fail(e);
        } finally {
            sequenced.put(END);
            batcher.join();
            workers.shutdownNow();
        }
        if (failure == null && fingerprint != null) writeFinalCheckpoint();
        endNanos = System.nanoTime();
        state = failure != null ? State.FAILED : truncation != null ? State.TRUNCATED : State.COMPLETE;
        ImportCounts c = committed;
        return new ImportReport(source, c, resumeFrom != null, c.get(ImportCounts.Counter.BYTES) - baseBytes,
                c.eventsProcessed() - baseEvents, (endNanos - startNanos) / 1e9,
                startCpu < 0 ? -1 : ProcessCpu.seconds() - startCpu, ProcessMemory.peakRssBytes(),
                failure == null ? null : describe(failure), failure == null ? truncation : null);
    }

    /** The filter of ids verified before, half the pipeline's byte budget in size; the log tells what the preload cost. */
    private VerifiedIds verifiedIds() {
        long t0 = System.nanoTime();
        VerifiedIds ids = new VerifiedIds(writer.store(), settings.queueBytes() / 2).preloaded();
        if (ids.size() > 0) {
            log.info("{} ids of stored events in the filter of verified events ({} s)", ids.size(),
                    String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
        }
        return ids;
    }

    private void read(EventParser parser, ExecutorService workers) throws IOException, InterruptedException {
        long startOffset = resumeFrom == null ? 0 : resumeFrom.offset();
        InputStream in;
        try {
            in = Compression.decompressing(input);
        } catch (TruncatedInputException e) { // cut inside the header: not one line
            truncation = new Truncation(resumeFrom == null ? 0 : resumeFrom.lines(), e.getMessage());
            return;
        }
        if (startOffset > 0) LineReader.skipExactly(in, startOffset);
        LineReader reader = new LineReader(in, startOffset, resumeFrom == null ? 0 : resumeFrom.lines(),
                settings.maxLineBytes(), settings.chunkBytes(), settings.chunkLines());
        LineChunk chunk;
        while (failure == null && (chunk = reader.next()) != null) {
            int cost = costKb(chunk);
            if (!permitsKb.tryAcquire(cost)) {
                sequenced.put(FLUSH); // the batcher must not hold back a partial batch while we wait for its permits
                permitsKb.acquire(cost);
            }
            LineChunk c = chunk;
            readOffset = c.endOffset();
            sequenced.put(workers.submit(() -> ParsedChunk.parse(c, parser, settings.policy(), cost)));
        }
        if (reader.cutOff() != null) truncation = new Truncation(reader.lineNumber(), reader.cutOff());
    }

    private int costKb(LineChunk chunk) {
        long bytes = chunk.heapBytes() * ImportSettings.CHARGE_PER_RAW_BYTE;
        return (int) Math.min(permitCapacityKb, Math.max(1, bytes >> 10));
    }

    /** A run of whole chunks written as one store request. */
    private final class Batch {
        final List<Event> events = new ArrayList<>();
        final List<ImportError> errors = new ArrayList<>();
        long lines;
        long emptyLines;
        long endOffset;
        int permitsKb;
        ImportCounts after;

        void add(ParsedChunk c, int chunkPermitsKb) {
            events.addAll(c.events());
            errors.addAll(c.errors());
            lines += c.linesRead();
            emptyLines += c.emptyLines();
            endOffset = c.endOffset();
            permitsKb += chunkPermitsKb;
        }

        /** The counters once this batch is committed (runs on the writer thread, in commit order). */
        ImportCounts countsAfter(List<WriteOutcome> outcomes) {
            if (after == null) {
                ImportCounts n = committed.copy();
                n.add(ImportCounts.Counter.LINES_READ, lines);
                n.add(ImportCounts.Counter.EMPTY_LINES, emptyLines);
                n.set(ImportCounts.Counter.BYTES, endOffset);
                for (ImportError e : errors) n.reject(e.reason());
                for (WriteOutcome o : outcomes) n.outcome(o);
                after = n;
            }
            return after;
        }
    }

    /** The batcher thread: takes parsed chunks in input order and writes them in batches. */
    private void batch() {
        Batch pending = new Batch();
        try {
            while (true) {
                Future<ParsedChunk> f = sequenced.take();
                if (f == END || f == FLUSH) {
                    if (!pending.events.isEmpty() || pending.lines > 0) submit(pending);
                    pending = new Batch();
                    if (f == END) return;
                    continue;
                }
                ParsedChunk c = f.get();
                if (failure != null) { // stopping: drop the rest, just free the reader
                    permitsKb.release(c.permitsKb());
                    continue;
                }
                if (c.cutAfterLine() >= 0) truncation = new Truncation(c.cutAfterLine(), Truncation.CUT_LAST_LINE);
                pending.add(c, c.permitsKb());
                if (pending.events.size() >= settings.batchEvents() || pending.permitsKb >= permitCapacityKb / 2) {
                    submit(pending);
                    pending = new Batch();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(e);
        } catch (ExecutionException e) {
            fail(new IllegalStateException("parsing failed", e.getCause()));
            permitsKb.release(permitCapacityKb); // unblock the reader so it sees the failure
        } finally {
            awaitLastWrite();
        }
    }

    private void submit(Batch b) throws InterruptedException {
        if (failure != null) {
            permitsKb.release(b.permitsKb);
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        lastWrite = done;
        writer.put(b.events, fingerprint == null ? null : outcomes -> checkpoint(b.countsAfter(outcomes), false), (outcomes, error) -> {
            try {
                if (error != null) {
                    fail(error);
                } else {
                    committed = b.countsAfter(outcomes);
                    Metrics.get().eventsImported(outcomes.size());
                    if (errorSink != null && !b.errors.isEmpty()) errorSink.accept(b.errors);
                }
            } catch (RuntimeException e) {
                fail(e);
            } finally {
                permitsKb.release(b.permitsKb);
                done.complete(null);
            }
        });
    }

    private void awaitLastWrite() {
        try {
            lastWrite.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            fail(e);
        }
    }

    private void writeFinalCheckpoint() throws InterruptedException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ImportCounts c = committed;
        writer.put(List.of(), outcomes -> checkpoint(c, true), (outcomes, error) -> {
            if (error != null) fail(error);
            done.complete(null);
        });
        try {
            done.get();
        } catch (ExecutionException e) {
            fail(e);
        }
    }

    private Checkpoint checkpoint(ImportCounts counts, boolean complete) {
        return new Checkpoint(fingerprint.checkpointKey(),
                new ImportCheckpoint(fingerprint, counts.get(ImportCounts.Counter.BYTES), complete, counts).encode());
    }

    private void fail(Exception e) {
        if (failure == null) failure = e;
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
