package dev.tern.sync;

import dev.tern.ingest.ImportJob;
import dev.tern.ingest.ImportReport;
import dev.tern.ingest.ImportSettings;
import dev.tern.store.EventWrites;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetched events go through the import's own path: written as JSONL into a bounded pipe that an
 * {@link ImportJob} reads on its own thread, so they are verified, counted by reason and committed by the
 * store's single writer exactly as `tern import` would.
 */
final class Download implements AutoCloseable {
    private static final int PIPE_BYTES = 1 << 20;
    private final PipedOutputStream out;
    private final CompletableFuture<ImportReport> report = new CompletableFuture<>();
    private final ImportJob job;

    Download(String source, EventWrites writer, ImportSettings settings) throws IOException {
        PipedInputStream in = new PipedInputStream(PIPE_BYTES);
        this.out = new PipedOutputStream(in);
        this.job = new ImportJob("sync", source, in, -1, writer, settings, null, null, null);
        Thread.ofPlatform().name("sync-import").daemon().start(() -> {
            try {
                report.complete(job.run());
            } catch (Throwable t) {
                report.completeExceptionally(t);
            } finally {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // nothing more is read from it
                }
            }
        });
    }

    ImportJob job() {
        return job;
    }

    /** Hands one event object (as the relay sent it) to the import; blocks while the pipe is full. */
    void write(byte[] event) throws IOException {
        out.write(event);
        out.write('\n');
    }

    /** Ends the input and waits for the import to commit what it got. */
    ImportReport finish() throws SyncException {
        close();
        try {
            return report.get(10, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            throw new SyncException("the import of fetched events failed: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new SyncException("the import of fetched events did not finish within 10 minutes");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncException("interrupted while the fetched events were committed");
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // the import ended already (it failed, and says so in its report)
        }
    }
}
