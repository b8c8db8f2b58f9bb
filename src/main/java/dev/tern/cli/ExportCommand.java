package dev.tern.cli;

import dev.tern.ingest.ExportRequest;
import dev.tern.store.EventStore;
import dev.tern.store.Visibility;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `tern export`: stored events as JSONL, streamed with bounded memory. */
@Command(name = "export", description = "Export stored events as JSONL.")
final class ExportCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ExportCommand.class);

    @Mixin
    MemoryOptions memory;

    @Mixin
    StoreOptions storeOptions;

    @Option(names = "--since", paramLabel = "TS", defaultValue = "${env:TERN_EXPORT_SINCE:--1}",
            description = "Only events with created_at >= TS; -1 = no bound (env TERN_EXPORT_SINCE, default -1).")
    long since;

    @Option(names = "--until", paramLabel = "TS", defaultValue = "${env:TERN_EXPORT_UNTIL:--1}",
            description = "Only events with created_at <= TS; -1 = no bound (env TERN_EXPORT_UNTIL, default -1).")
    long until;

    @Option(names = "--filter", paramLabel = "JSON", defaultValue = "${env:TERN_EXPORT_FILTER:-}",
            description = "A NIP-01 filter, e.g. '{\"kinds\":[0,3]}'; --since/--until override its bounds; empty = all "
                    + "(env TERN_EXPORT_FILTER, default empty).")
    String filterJson;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "${env:TERN_EXPORT_OUTPUT:--}",
            description = "Output file, - for stdout (env TERN_EXPORT_OUTPUT, default -).")
    String output;

    @Option(names = "--gzip", defaultValue = "${env:TERN_EXPORT_GZIP:-false}",
            description = "Compress the output with gzip (env TERN_EXPORT_GZIP, default false).")
    boolean gzip;

    @Override
    public Integer call() {
        ExportRequest request;
        try {
            request = ExportRequest.of(filterJson, since < 0 ? null : since, until < 0 ? null : until, gzip);
        } catch (IllegalArgumentException e) {
            System.err.println("tern export: bad --" + e.getMessage());
            return 2;
        }
        try (EventStore store = storeOptions.open(storeOptions.storeConfig(memory.budget()), true, StoreOptions.STOP_THE_RELAY)) {
            boolean stdout = output.equals("-");
            OutputStream raw = stdout ? System.out : Files.newOutputStream(Path.of(output));
            long n;
            try (OutputStream out = request.encode(new BufferedOutputStream(raw, 1 << 16))) {
                n = request.write(store, Visibility.ALL, out); // the operator's own disk: everything, a backup
            }
            log.info("exported {} events to {}", n, stdout ? "stdout" : output);
            return 0;
        } catch (CliFailure f) {
            throw f;
        } catch (IOException | RuntimeException e) {
            System.err.println("tern export: failed: " + e.getMessage());
            return 1;
        }
    }
}
