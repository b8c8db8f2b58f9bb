package dev.tern.cli;

import dev.tern.filter.Filter;
import dev.tern.filter.FilterLimits;
import dev.tern.filter.FilterParser;
import dev.tern.filter.FilterResult;
import dev.tern.ingest.EventExport;
import dev.tern.store.EventStore;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.zip.GZIPOutputStream;
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
        Filter filter;
        try {
            filter = filter();
        } catch (IllegalArgumentException e) {
            System.err.println("tern export: " + e.getMessage());
            return 2;
        }
        try (EventStore store = EventStore.open(storeOptions.storeConfig(memory.budget()))) {
            boolean stdout = output.equals("-");
            OutputStream raw = stdout ? System.out : Files.newOutputStream(Path.of(output));
            long n;
            try (OutputStream out = gzip ? new GZIPOutputStream(new BufferedOutputStream(raw, 1 << 16), 1 << 16)
                    : new BufferedOutputStream(raw, 1 << 16)) {
                n = EventExport.write(store, filter, out);
            }
            log.info("exported {} events to {}", n, stdout ? "stdout" : output);
            return 0;
        } catch (IOException | RuntimeException e) {
            System.err.println("tern export: failed: " + e.getMessage());
            return 1;
        }
    }

    /** The filter to export by, or null for everything (the fastest path: write order). */
    private Filter filter() {
        Filter f = null;
        if (!filterJson.isBlank()) {
            switch (new FilterParser(FilterLimits.EXPORT).parse(filterJson)) {
                case FilterResult.Ok<Filter> ok -> f = ok.value();
                case FilterResult.Error<Filter> err -> throw new IllegalArgumentException("bad --filter: " + err.message());
            }
        }
        if (since < 0 && until < 0) return f;
        Filter base = f == null ? Filter.ALL : f;
        return new Filter(base.ids(), base.authors(), base.kinds(), base.tags(), since >= 0 ? since : base.since(),
                until >= 0 ? until : base.until(), base.limit());
    }
}
