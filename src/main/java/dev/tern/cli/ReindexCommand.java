package dev.tern.cli;

import dev.tern.config.MemoryBudget;
import dev.tern.search.SearchIndex;
import dev.tern.search.SearchSettings;
import dev.tern.store.EventStore;
import dev.tern.store.StoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** `tern reindex`: rebuilds the NIP-50 search index from the store, showing its progress. */
@Command(name = "reindex", description = "Rebuild the NIP-50 search index (DATA_DIR/search) from the store (the relay must not be running).")
final class ReindexCommand implements Callable<Integer> {
    @Mixin MemoryOptions memory;
    @Mixin StoreOptions storeOptions;
    @Mixin SearchOptions searchOptions;

    @Override
    public Integer call() {
        MemoryBudget budget = memory.budget();
        SearchSettings settings;
        try {
            settings = searchOptions.settings(budget, true);
        } catch (IllegalArgumentException e) {
            System.err.println("tern reindex: " + e.getMessage());
            return 2;
        }
        if (!settings.enabled()) {
            System.err.println("tern reindex: search is off (--search / TERN_SEARCH); turn it on to build its index");
            return 2;
        }
        Path dir = SearchIndex.directoryIn(storeOptions.dataDir);
        try (EventStore store = storeOptions.open(storeOptions.storeConfig(budget), true, StoreOptions.STOP_THE_RELAY)) {
            long total = store.stats().events();
            long t0 = System.nanoTime();
            long documents;
            try (SearchIndex index = SearchIndex.open(dir, settings, store)) {
                index.clear();
                index.catchUp(read -> progress(read, total, t0, false));
                progress(total, total, t0, true);
                documents = index.documents();
            } // closing merges the index into one segment
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("reindexed %,d stored events into %,d documents in %.1f s (%,.0f events/s); index %,d bytes in %s%n",
                    total, documents, seconds, total / Math.max(seconds, 1e-9), diskBytes(dir), dir);
            return 0;
        } catch (StoreException | UncheckedIOException e) {
            // RocksDB allows one process per store: a running relay holds its lock
            System.err.println("tern reindex: " + e.getMessage());
            return 1;
        }
    }

    /** One line, redrawn in place on a terminal, a line per call otherwise. */
    private static void progress(long read, long total, long t0, boolean last) {
        double seconds = (System.nanoTime() - t0) / 1e9;
        String line = String.format("reindex: %,d of %,d events (%d%%), %,.0f events/s", read, total,
                total == 0 ? 100 : Math.min(100, read * 100 / total), read / Math.max(seconds, 1e-9));
        if (System.console() != null) System.err.print("\r" + line + (last ? "\n" : ""));
        else if (!last && read % 100_000 == 0) System.err.println(line);
    }

    static long diskBytes(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException gone) {
                    return 0; // merged away meanwhile
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
