package dev.tern.cli;

import dev.tern.config.MemoryBudget;
import dev.tern.store.StoreConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the store lives and how much memory RocksDB may use (0 = derived from the memory budget). */
final class StoreOptions {
    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:TERN_DATA_DIR:-./data}",
            description = "Directory of the embedded RocksDB store (env TERN_DATA_DIR, default ./data).")
    Path dataDir;

    @Option(names = "--db-cache-mb", paramLabel = "MB", defaultValue = "${env:TERN_DB_CACHE_MB:-0}",
            description = "RocksDB block cache in MB, memtables included; 0 = derived from the memory budget (2/5 of what is left after its reserve) "
                    + "(env TERN_DB_CACHE_MB, default 0).")
    int dbCacheMb;

    @Option(names = "--db-memtable-mb", paramLabel = "MB", defaultValue = "${env:TERN_DB_MEMTABLE_MB:-0}",
            description = "Memtable memory in MB, charged to the block cache; 0 = half the cache (an import: at least "
                    + "32 MB, up to 3/4 of the cache) (env TERN_DB_MEMTABLE_MB, default 0).")
    int dbMemtableMb;

    @Option(names = "--db-max-open-files", paramLabel = "N", defaultValue = "${env:TERN_DB_MAX_OPEN_FILES:-512}",
            description = "Most SST files RocksDB keeps open (env TERN_DB_MAX_OPEN_FILES, default 512).")
    int dbMaxOpenFiles;

    /** The store configuration: the budget's split, with any explicit cache, memtable or open-file override. */
    StoreConfig storeConfig(MemoryBudget budget) {
        return config(budget, false);
    }

    /**
     * A bulk import's configuration. Its memtables get at least {@link #BULK_MEMTABLE_MIN_MB} (at most 3/4 of
     * the cache) when half the cache is less: with {@code --memory 256} (22 MB) writes stopped about 440 times
     * in a 2.16M-event import, each waiting for a flush of all families, and 34 MB took it from 14,786 to
     * 17,245 events/s (peak RSS 238 MiB). At the default budget, half the cache (65 MB) already sufficed:
     * 97 MB stopped as often and raised the peak RSS from 322 to 453 MiB.
     */
    StoreConfig bulkLoadConfig(MemoryBudget budget) {
        return config(budget, true).withBulkLoad(true);
    }

    static final int BULK_MEMTABLE_MIN_MB = 32;

    private StoreConfig config(MemoryBudget budget, boolean bulkLoad) {
        long mb = 1024L * 1024;
        long cacheMb = dbCacheMb > 0 ? dbCacheMb : budget.dbCacheMb();
        long memtableMb = dbMemtableMb > 0 ? dbMemtableMb
                : bulkLoad ? Math.max(cacheMb / 2, Math.min(cacheMb * 3 / 4, BULK_MEMTABLE_MIN_MB)) : cacheMb / 2;
        StoreConfig base = StoreConfig.forBudget(dataDir, budget.totalMb());
        return new StoreConfig(dataDir, cacheMb * mb, memtableMb * mb, dbMaxOpenFiles, false, base.maxLimit(),
                base.maxScannedKeys());
    }
}
