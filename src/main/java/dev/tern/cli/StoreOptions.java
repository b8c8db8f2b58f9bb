package dev.tern.cli;

import dev.tern.config.MemoryBudget;
import dev.tern.store.StoreConfig;
import dev.tern.store.EventStore;
import dev.tern.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rocksdb.RocksDBException;
import picocli.CommandLine.Option;

/** Where the store lives and how much memory RocksDB may use (0 = derived from the memory budget). */
final class StoreOptions {
    /** What to do when a running relay holds the store: most commands must wait for it. */
    static final String STOP_THE_RELAY = "stop the relay first (while it runs, its GET /api/stats and GET /api/export answer)";

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

    /**
     * Opens the store for a command. {@code mustExist}: a command that only reads (stats, export) fails with "no
     * store at PATH" rather than create an empty store at a mistyped path. RocksDB lets one process open a store:
     * when another holds its lock, {@code whileInUse} says what to do instead.
     */
    EventStore open(StoreConfig config, boolean mustExist, String whileInUse) {
        Path dir = config.dataDir().toAbsolutePath().normalize();
        if (mustExist && !Files.exists(dir.resolve("CURRENT"))) {
            throw new CliFailure(CliFailure.USAGE, "no store at " + dir + " (check --data-dir or TERN_DATA_DIR)");
        }
        try {
            return EventStore.open(config);
        } catch (StoreException e) {
            if (e.getCause() instanceof RocksDBException r && r.getMessage() != null && r.getMessage().contains("lock file")) {
                throw new CliFailure(CliFailure.IN_USE, "the store at " + dir + " is in use by another process; " + whileInUse);
            }
            throw e;
        }
    }

    /** The store configuration: the budget's split, with any explicit cache, memtable or open-file override. */
    StoreConfig storeConfig(MemoryBudget budget) {
        return config(budget, false);
    }

    /** A bulk import's configuration; its memtables may take more of the cache ({@link MemoryBudget#memtableMb}). */
    StoreConfig bulkLoadConfig(MemoryBudget budget) {
        return config(budget, true);
    }

    private StoreConfig config(MemoryBudget budget, boolean bulkLoad) {
        long mb = 1024L * 1024;
        int cacheMb = dbCacheMb > 0 ? dbCacheMb : budget.dbCacheMb();
        int memtableMb = dbMemtableMb > 0 ? dbMemtableMb : MemoryBudget.memtableMb(cacheMb, bulkLoad);
        return new StoreConfig(dataDir, cacheMb * mb, memtableMb * mb, dbMaxOpenFiles, bulkLoad, StoreConfig.DEFAULT_MAX_SCANNED_KEYS,
                "");
    }
}
