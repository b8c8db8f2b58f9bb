package dev.tern.cli;

import dev.tern.event.Schnorr;
import dev.tern.json.Json;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tern.acl.Acl;
import dev.tern.cluster.Cluster;
import dev.tern.config.MemoryBudget;
import dev.tern.ingest.ImportCheckpoint;
import dev.tern.ingest.ImportError;
import dev.tern.ingest.ImportJob;
import dev.tern.ingest.ImportPolicy;
import dev.tern.ingest.ImportReport;
import dev.tern.ingest.ImportSettings;
import dev.tern.ingest.InputFingerprint;
import dev.tern.search.SearchIndex;
import dev.tern.search.SearchSettings;
import dev.tern.store.StoreWriter;
import dev.tern.store.EventStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `tern import`: loads JSONL files (plain, .gz or .zst; - for stdin) into the store, opened directly in
 * bulk-load mode, so the relay must not be running. Every committed batch stores a checkpoint for its
 * file; after a crash `--resume` continues from it. Without --resume a file is imported from its start,
 * and an earlier interrupted import of it is reported with the command that would resume it.
 * Exit codes: 0 done (rejected lines included), 1 an I/O or store failure, 2 a usage error, 3 the store in use (a running relay),
 * 4 a truncated input (every whole line imported, the other files too).
 */
@Command(name = "import", description = "Import JSONL files of Nostr events into the store (the relay must not be running).",
        footer = {"", "Each committed batch stores a checkpoint (file fingerprint, byte offset, counters). After a crash,",
                "`tern import --resume FILE` continues from it and ends with the same store and counts as an uninterrupted",
                "import; without --resume the file is imported from its start (an earlier interrupted import is reported).",
                "Exit codes: 0 done (rejected lines included), 1 I/O or store failure, 2 usage error, 3 store in use (a running relay),",
                "4 truncated input (a .gz/.zst cut off, or a last line cut mid-line: every whole line imported)."})
final class ImportCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger("import");
    /** The exit code of an import that read a truncated input (and completed everything else). */
    static final int TRUNCATED = 4;

    @Mixin
    MemoryOptions memory;

    @Mixin
    StoreOptions storeOptions;

    @Mixin
    AclModeOption aclMode;

    @Mixin
    SearchOptions searchOptions;

    @Option(names = "--relay-url", paramLabel = "URL", defaultValue = "${env:TERN_RELAY_URL:-}",
            description = "Public URL of the relay this store serves; NIP-62 requests to vanish naming it (or ALL_RELAYS) "
                    + "are carried out (env TERN_RELAY_URL, default empty: ALL_RELAYS only).")
    String relayUrl;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "JSONL files (plain, .gz or .zst), - for stdin.")
    List<String> files = new ArrayList<>();

    @Option(names = "--resume", defaultValue = "${env:TERN_IMPORT_RESUME:-false}",
            description = "Continue each file from its checkpoint, left by an interrupted import (env TERN_IMPORT_RESUME, default false).")
    boolean resume;

    @Option(names = "--no-verify", defaultValue = "${env:TERN_IMPORT_NO_VERIFY:-false}",
            description = "Skip signature checks for trusted archives; ids are still checked (env TERN_IMPORT_NO_VERIFY, default false).")
    boolean noVerify;

    @Option(names = "--report", paramLabel = "FILE", defaultValue = "${env:TERN_IMPORT_REPORT:-}",
            description = "Also write the final report as JSON to FILE (env TERN_IMPORT_REPORT, default none).")
    String reportFile;

    @Option(names = "--errors", paramLabel = "FILE", defaultValue = "${env:TERN_IMPORT_ERRORS:-}",
            description = "Write each rejected line's number, reason and first 200 bytes as JSONL to FILE "
                    + "(env TERN_IMPORT_ERRORS, default none).")
    String errorsFile;

    @Option(names = "--batch-events", paramLabel = "N", defaultValue = "${env:TERN_IMPORT_BATCH_EVENTS:-2000}",
            description = "Events per store write (env TERN_IMPORT_BATCH_EVENTS, default 2000).")
    int batchEvents;

    @Option(names = "--queue-mb", paramLabel = "MB", defaultValue = "${env:TERN_IMPORT_QUEUE_MB:-0}",
            description = "Heap for lines and events between reading and committing; 0 = a 24th of the heap, "
                    + "at least 4 MB (env TERN_IMPORT_QUEUE_MB, default 0).")
    int queueMb;

    @Option(names = "--max-line-bytes", paramLabel = "N", defaultValue = "${env:TERN_IMPORT_MAX_LINE_BYTES:-1048576}",
            description = "Longest accepted line; longer ones are skipped and reported (env TERN_IMPORT_MAX_LINE_BYTES, default 1048576).")
    int maxLineBytes;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "${env:TERN_IMPORT_THREADS:-0}",
            description = "Parse/verify threads; 0 = one per core (env TERN_IMPORT_THREADS, default 0).")
    int threads;

    @Option(names = "--progress-seconds", paramLabel = "S", defaultValue = "${env:TERN_IMPORT_PROGRESS_SECONDS:-5}",
            description = "Seconds between progress log lines when stderr is not a terminal (env TERN_IMPORT_PROGRESS_SECONDS, default 5).")
    int progressSeconds;

    @Override
    public Integer call() {
        MemoryBudget budget;
        ImportSettings settings;
        SearchSettings searchSettings;
        try {
            budget = memory.budget();
            Schnorr.cachePublicKeys(budget.publicKeyCacheMb());
            // one thread adds documents: the parse workers keep the cores busy (and the store writer, one thread that
            // costs more per event, is the ceiling before it), and one Lucene buffer flushes segments twice the size of
            // two buffers', which the merges then rewrite less (BENCHMARKS.md, Search, "one indexing thread in an import")
            searchSettings = searchOptions.settings(budget, true).withThreads(1);
            long queueBytes = (queueMb > 0 ? queueMb : budget.importQueueMb()) * 1024L * 1024;
            settings = new ImportSettings(maxLineBytes, batchEvents, queueBytes,
                    threads > 0 ? threads : Runtime.getRuntime().availableProcessors(), !noVerify, ImportPolicy.ADMIT_ALL);
            for (String f : files) {
                if (!f.equals("-") && !Files.isReadable(Path.of(f))) throw new IllegalArgumentException("cannot read " + f);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("tern import: " + e.getMessage());
            return 2;
        }
        int exit = 0;
        List<ImportReport> reports = new ArrayList<>();
        try (EventStore store = storeOptions.open(storeOptions.bulkLoadConfig(budget).withRelayHost(relayHost()), false,
                "stop the relay, or upload through POST /api/import while it runs");
             ErrorLog errors = ErrorLog.open(errorsFile, resume)) {
            if (Cluster.isNodeStore(store)) {
                System.err.println("tern import: " + storeOptions.dataDir + " is a cluster node's store; import through POST /api/import "
                        + "on any node, so that the events go through the cluster's log to every node");
                return 2;
            }
            settings = settings.withPolicy(Acl.importPolicy(aclMode.mode, store));
            StoreWriter writer = new StoreWriter(store, new StoreWriter.Settings(settings.queueBytes() / 4,
                    settings.batchEvents(), settings.queueBytes() / 4, 0));
            // NIP-50: the index follows the import; the writer waits for it rather than leave it behind
            SearchIndex search = SearchOptions.open(searchSettings, storeOptions.dataDir, store);
            if (search != null) search.follow(writer);
            try {
                int n = 0;
                for (String f : files) {
                    Optional<ImportReport> r = importOne(store, writer, settings, f, "import-" + (++n), errors);
                    if (r.isEmpty()) continue;
                    ImportReport report = r.get();
                    reports.add(report);
                    System.out.print(report.toText());
                    if (report.failed()) {
                        exit = 1;
                        // a file's checkpoints let --resume continue it; a stream has none
                        System.err.println("tern import: stopped: " + report.failure() + "; what was committed is kept, "
                                + (f.equals("-") ? "import the stream again once the cause is fixed (stored events count as duplicates)"
                                        : "run `tern import --resume " + f + "` to continue once the cause is fixed"));
                        break;
                    }
                    if (report.truncated()) {
                        exit = TRUNCATED;
                        // resuming cannot help: the file has nothing more to read, and a whole copy has another fingerprint
                        System.err.println("tern import: " + (f.equals("-") ? "stdin" : f) + ": " + report.error()
                                + "; import a whole copy to add the rest (stored events count as duplicates)");
                    }
                }
                if (exit != 1) {
                    log.info("finishing the bulk load (flush and compaction) ...");
                    long t0 = System.nanoTime();
                    writer.finishBulkLoad();
                    log.info("bulk load finished in {} s", String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
                }
            } finally {
                writer.close();
                if (search != null) search.close();
            }
        } catch (CliFailure f) {
            throw f;
        } catch (RuntimeException | IOException e) {
            System.err.println("tern import: failed: " + e.getMessage());
            exit = 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exit = 1;
        }
        if (!reportFile.isEmpty()) writeReports(reports);
        return exit;
    }

    /** Imports one input; empty when there was nothing to do (already complete). */
    private Optional<ImportReport> importOne(EventStore store, StoreWriter writer, ImportSettings settings, String file,
                                             String id, ErrorLog errors) throws IOException, InterruptedException {
        if (file.equals("-")) {
            log.info("importing stdin (no checkpoints: a stream cannot be resumed)");
            return Optional.of(run(new ImportJob(id, "stdin", System.in, -1, writer, settings, null, null, errors::write), "stdin"));
        }
        Path path = Path.of(file);
        InputFingerprint fp = InputFingerprint.of(path);
        ImportCheckpoint previous = store.meta(fp.checkpointKey()).map(ImportCheckpoint::decode).orElse(null);
        ImportCheckpoint resumeFrom = null;
        if (previous != null && !previous.input().sameContentAs(fp)) {
            if (resume) log.warn("{} changed since its checkpoint (size or first MiB differ); importing it from the start", file);
        } else if (previous != null && previous.complete()) {
            if (resume) {
                log.info("{} was already imported completely; nothing to resume", file);
                return Optional.empty();
            }
            log.info("{} was imported completely before; importing it again (stored events count as duplicates)", file);
        } else if (previous != null) {
            if (resume) {
                resumeFrom = previous;
                log.info("resuming {} at byte {} (line {})", file, previous.offset(), previous.lines());
            } else {
                log.warn("an interrupted import of {} stopped at byte {} (line {}); this run starts from the beginning. "
                        + "To continue from the checkpoint instead: tern import --resume {}", file, previous.offset(), previous.lines(), file);
            }
        } else if (resume) {
            log.info("no checkpoint for {}; importing it from the start", file);
        }
        try (InputStream in = Files.newInputStream(path)) {
            return Optional.of(run(new ImportJob(id, file, in, Files.size(path), writer, settings, fp, resumeFrom, errors::write), file));
        }
    }

    private ImportReport run(ImportJob job, String name) throws InterruptedException {
        ImportProgressPrinter progress = new ImportProgressPrinter(job, name, progressSeconds);
        try {
            return job.run();
        } finally {
            progress.close();
        }
    }

    private void writeReports(List<ImportReport> reports) {
        try (OutputStream out = Files.newOutputStream(Path.of(reportFile));
             JsonGenerator g = Json.generator(out, true)) {
            if (reports.size() == 1) {
                reports.get(0).writeJson(g);
            } else {
                g.writeStartArray();
                for (ImportReport r : reports) r.writeJson(g);
                g.writeEndArray();
            }
        } catch (IOException e) {
            System.err.println("tern import: cannot write the report to " + reportFile + ": " + e.getMessage());
        }
    }

    /** The --errors file: one JSON object a line, in line order; appended to on --resume. */
    static final class ErrorLog implements AutoCloseable {
        private final JsonGenerator g;

        private ErrorLog(JsonGenerator g) {
            this.g = g;
        }

        static ErrorLog open(String file, boolean append) throws IOException {
            if (file.isEmpty()) return new ErrorLog(null);
            OutputStream out = Files.newOutputStream(Path.of(file), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
            JsonGenerator g = Json.generator(new java.io.BufferedOutputStream(out), false);
            g.setRootValueSeparator(null);
            return new ErrorLog(g);
        }

        /** A committed batch's rejected lines. */
        void write(List<ImportError> errors) {
            if (g == null) return;
            try {
                for (ImportError e : errors) {
                    g.writeStartObject();
                    g.writeNumberField("line", e.lineNumber());
                    g.writeStringField("reason", e.reason().label());
                    g.writeStringField("message", e.message());
                    g.writeStringField("head", new String(e.head(), StandardCharsets.UTF_8));
                    g.writeEndObject();
                    g.writeRaw('\n');
                }
                // written only once the batch is committed, and flushed with it: after a kill, --resume starts
                // past the committed lines, so the file then holds each of their errors exactly once
                g.flush();
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }

        @Override
        public void close() throws IOException {
            if (g != null) g.close();
        }
    }

    /** The host of --relay-url, lower-cased; empty when none is given. */
    private String relayHost() {
        String host = relayUrl.isBlank() ? null : java.net.URI.create(relayUrl.trim()).getHost();
        return host == null ? "" : host.toLowerCase(java.util.Locale.ROOT);
    }
}
