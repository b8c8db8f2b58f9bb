package dev.tern.http;

import dev.tern.ingest.ImportJob;
import dev.tern.ingest.ImportProgress;
import dev.tern.ingest.ImportReport;
import dev.tern.ingest.ImportSettings;
import dev.tern.store.EventStore;
import dev.tern.store.EventWrites;
import dev.tern.metrics.Metrics;
import java.io.IOException;
import dev.tern.ingest.ImportCounts;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The imports uploaded over HTTP: one runs at a time (its pipeline queues are sized to the memory
 * budget, so two would double that), and the last {@link #KEEP} are remembered for their status.
 * Each runs the ingest {@link ImportJob} on its own thread, reading the upload's {@link BytePipe}.
 */
final class Imports implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("import");
    static final int KEEP = 16;
    /** Bytes of upload held between the socket and the import's reader. */
    static final long PIPE_BYTES = 1 << 20;
    private static final long PROGRESS_LOG_SECONDS = 10;

    private final EventWrites writer;
    private final ImportSettings settings;
    private final Map<String, HttpImport> recent = new LinkedHashMap<>();
    private final ScheduledExecutorService progressLog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "import-progress-log");
        t.setDaemon(true);
        return t;
    });
    private HttpImport running;
    /** Set when the relay shuts down: an upload then ends without compacting. */
    private volatile boolean closing;

    Imports(EventWrites writer, ImportSettings settings) {
        this.writer = writer;
        this.settings = settings;
        Metrics m = Metrics.get();
        m.gauge("tern_import_running", "1 while an HTTP import runs", () -> current() == null ? 0 : 1);
        m.gauge("tern_import_input_bytes", "Input bytes read by the running (or last) import", () -> progressOr(p -> p.inputBytes()));
        m.gauge("tern_import_lines_read", "Lines read by the running (or last) import", () -> progressOr(p -> p.linesRead()));
        m.gauge("tern_import_events_stored", "Events stored by the running (or last) import", () -> progressOr(p -> p.eventsStored()));
        m.gauge("tern_import_rejected", "Lines rejected by the running (or last) import", () -> progressOr(p -> p.rejected()));
    }

    /**
     * Starts an import that reads a new pipe, or returns null if one is already running.
     * {@code onDrained} runs when the pipe has room again after it asked the upload to pause.
     */
    synchronized HttpImport start(String id, String source, long totalBytes, String client, Runnable onDrained) {
        if (running != null) return null;
        HttpImport imp = new HttpImport(id, source, new BytePipe(PIPE_BYTES, onDrained));
        ImportJob job = new ImportJob(id, source, imp.pipe, totalBytes, writer, settings, null, null, imp::rejected);
        imp.attach(job);
        running = imp;
        recent.put(id, imp);
        while (recent.size() > KEEP) recent.remove(recent.keySet().iterator().next());
        Thread t = new Thread(() -> run(imp, client), "http-import-" + id);
        t.setDaemon(true);
        t.start();
        return imp;
    }

    synchronized HttpImport get(String id) {
        return recent.get(id);
    }

    synchronized boolean contains(String id) {
        return recent.containsKey(id);
    }

    /** The imports remembered, newest first (the running one, if any, is the newest). */
    synchronized List<HttpImport> newestFirst() {
        List<HttpImport> all = new ArrayList<>(recent.values());
        Collections.reverse(all);
        return all;
    }

    private synchronized HttpImport current() {
        return running;
    }

    private synchronized HttpImport latest() {
        HttpImport last = null;
        for (HttpImport i : recent.values()) last = i;
        return last;
    }

    private double progressOr(ToLongFunction<ImportProgress> f) {
        HttpImport i = latest();
        return i == null ? 0 : f.applyAsLong(i.job().progress());
    }

    private void run(HttpImport imp, String client) {
        log.info("import {} started: upload from {}", imp.id, client);
        ScheduledFuture<?> ticker = progressLog.scheduleAtFixedRate(() -> logProgress(imp),
                PROGRESS_LOG_SECONDS, PROGRESS_LOG_SECONDS, TimeUnit.SECONDS);
        ImportReport report = null;
        EventStore store = writer.store();
        boolean deferred = false;
        try {
            deferred = store.beginUpload();
            report = imp.job().run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            imp.uploadFailed("the relay is shutting down");
        } catch (RuntimeException e) {
            imp.uploadFailed(e.toString());
            log.error("import {} failed", imp.id, e);
        } finally {
            ticker.cancel(false);
            // A failed import stops reading: let the rest of the upload drain into nothing.
            imp.pipe.close();
            if (deferred) endUpload(imp, store);
            if (report == null) report = new ImportReport(imp.source(), imp.job().counts(), false, 0, 0, 0, -1, 0, "interrupted", null);
            imp.finished(report);
            synchronized (this) {
                running = null;
            }
        }
        log.info("import {} of {} {}: {} lines, {} stored, {} rejected in {} s ({} events/s){}", imp.id, imp.source(),
                imp.state().label(), report.counts().get(ImportCounts.Counter.LINES_READ),
                report.counts().get(ImportCounts.Counter.STORED), report.counts().rejectedTotal(),
                Math.round(report.elapsedSeconds() * 10) / 10.0, Math.round(report.eventsPerSecond()),
                report.error() != null ? ": " + report.error() : "");
    }

    /**
     * Compacts what the upload deferred before it is reported ended, as `tern import` ends its bulk load, unless
     * the relay is shutting down. A failure here leaves the import's outcome as it was: RocksDB compacts later.
     */
    private void endUpload(HttpImport imp, EventStore store) {
        long start = System.nanoTime();
        try {
            store.endUpload(!closing);
            log.info("import {}: compacted what it wrote in {} s", imp.id, Math.round((System.nanoTime() - start) / 1e8) / 10.0);
        } catch (RuntimeException e) {
            log.warn("import {}: compacting what it wrote failed ({}); RocksDB compacts it later", imp.id, e.getMessage());
        }
    }

    private static void logProgress(HttpImport imp) {
        ImportProgress p = imp.job().progress();
        log.info("import {}: {}", imp.id, p.describe(p.eventsPerSecond()));
    }

    /** Fails the running import's upload (shutdown); its thread then ends the job. */
    @Override
    public void close() {
        closing = true;
        HttpImport r = current();
        if (r != null) r.pipe.fail(new IOException("the relay is shutting down"));
        progressLog.shutdownNow();
    }
}
