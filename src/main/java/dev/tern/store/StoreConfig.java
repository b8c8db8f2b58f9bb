package dev.tern.store;

import dev.tern.config.MemoryBudget;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How the store uses memory and disk. One LRU block cache of {@code blockCacheBytes} holds data,
 * index and filter blocks, and the memtables ({@code memtableBytes}) are charged to it, so RocksDB's
 * accounted memory stays at {@code blockCacheBytes}. {@code bulkLoad} opens the store for an import:
 * no WAL, no auto-compaction, larger write buffers, until {@link EventStore#finishBulkLoad()}.
 * {@code maxScannedKeys} is the scan budget of one query or count: the index keys and id lookups it may
 * visit before it ends early (server protection; how many events a client gets is the relay's policy).
 * {@code relayHost} is the host of the relay's URL, whose NIP-62 requests to vanish the writer carries out
 * (empty: only those naming {@code ALL_RELAYS}).
 */
public record StoreConfig(Path dataDir, long blockCacheBytes, long memtableBytes, int maxOpenFiles, boolean bulkLoad,
                          long maxScannedKeys, String relayHost) {
    public static final int DEFAULT_MAX_OPEN_FILES = 512;
    public static final long DEFAULT_MAX_SCANNED_KEYS = 500_000;
    private static final long MB = 1024L * 1024;

    public StoreConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        if (blockCacheBytes < 8 * MB) throw new IllegalArgumentException("block cache must be at least 8 MB");
        if (memtableBytes < 2 * MB || memtableBytes >= blockCacheBytes) {
            throw new IllegalArgumentException("memtables must be at least 2 MB and less than the block cache they are charged to");
        }
        if (maxOpenFiles < 16 && maxOpenFiles != -1) throw new IllegalArgumentException("maxOpenFiles must be >= 16 (or -1)");
        if (maxScannedKeys < 1) throw new IllegalArgumentException("maxScannedKeys must be >= 1");
        Objects.requireNonNull(relayHost, "relayHost");
    }

    /** The store's share of a process memory budget (see {@link MemoryBudget}), for serving. */
    public static StoreConfig forBudget(Path dataDir, int memoryMb) {
        MemoryBudget budget = new MemoryBudget(memoryMb);
        return new StoreConfig(dataDir, budget.dbCacheMb() * MB, budget.dbMemtableMb() * MB, DEFAULT_MAX_OPEN_FILES, false,
                DEFAULT_MAX_SCANNED_KEYS, "");
    }

    /**
     * A bulk load's share of {@code memtableBytes} for the index keys it sorts on the heap ({@link IndexRuns}), in
     * two buffers, one filling while the other is ingested: half. In the index families' memtables an event's 14 or
     * so index keys took about 1 KB, beside its record of about 1.3 KB; half lets a buffer fill at about the rate
     * of the memtables, whose flush every ingestion needs. None outside a bulk load.
     */
    long indexRunBytes() {
        return bulkLoad ? memtableBytes / 2 : 0;
    }

    public StoreConfig withBlockCacheBytes(long bytes) {
        return new StoreConfig(dataDir, bytes, memtableBytes, maxOpenFiles, bulkLoad, maxScannedKeys, relayHost);
    }

    public StoreConfig withMemtableBytes(long bytes) {
        return new StoreConfig(dataDir, blockCacheBytes, bytes, maxOpenFiles, bulkLoad, maxScannedKeys, relayHost);
    }

    public StoreConfig withBulkLoad(boolean bulk) {
        return new StoreConfig(dataDir, blockCacheBytes, memtableBytes, maxOpenFiles, bulk, maxScannedKeys, relayHost);
    }

    public StoreConfig withMaxScannedKeys(long keys) {
        return new StoreConfig(dataDir, blockCacheBytes, memtableBytes, maxOpenFiles, bulkLoad, keys, relayHost);
    }

    /** The store of the relay at {@code host}: NIP-62 requests to vanish naming it are carried out. */
    public StoreConfig withRelayHost(String host) {
        return new StoreConfig(dataDir, blockCacheBytes, memtableBytes, maxOpenFiles, bulkLoad, maxScannedKeys, host);
    }
}
