package dev.tern.http;

import dev.tern.metrics.Metrics;
import dev.tern.store.EventStore;
import dev.tern.store.StoreStats;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The store's figures for /api/stats and /metrics, read at most once a second while the store is
 * unchanged: a stats read walks the data directory and scans the per-kind counters, and the page
 * and Prometheus both poll. Any committed write makes the next read fresh, so figures asked for
 * after an import or publish was acknowledged include it.
 * Also registers the store's Prometheus gauges (RocksDB memory and compaction included).
 */
final class StoreFigures {
    private static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final EventStore store;
    private StoreStats stats;
    private long readAt;
    private long readAtSequence;

    StoreFigures(EventStore store) {
        this.store = store;
    }

    synchronized StoreStats stats() {
        long now = System.nanoTime();
        long sequence = store.writeSequence();
        if (stats == null || now - readAt > MAX_AGE_NANOS || sequence != readAtSequence) {
            stats = store.stats();
            readAt = now;
            readAtSequence = sequence;
        }
        return stats;
    }

    void registerGauges(Metrics m) {
        gauge(m, "tern_store_events", "Events in the store", StoreStats::events);
        gauge(m, "tern_store_disk_bytes", "Bytes of the store's files on disk", StoreStats::diskBytes);
        gauge(m, "tern_store_removed_awaiting_purge", "Records of removed events still on disk, waiting for their purge",
                StoreStats::removedAwaitingPurge);
        gauge(m, "tern_rocksdb_block_cache_capacity_bytes", "RocksDB block cache capacity (memtables charged to it)", StoreStats::blockCacheCapacity);
        gauge(m, "tern_rocksdb_block_cache_usage_bytes", "RocksDB block cache usage", StoreStats::blockCacheUsage);
        gauge(m, "tern_rocksdb_block_cache_pinned_bytes", "RocksDB block cache pinned usage", StoreStats::blockCachePinned);
        gauge(m, "tern_rocksdb_memtable_bytes", "RocksDB memtables", StoreStats::memtableBytes);
        gauge(m, "tern_rocksdb_table_readers_bytes", "RocksDB table readers (index and filter blocks outside the cache)", StoreStats::tableReaderBytes);
        property(m, "tern_rocksdb_compaction_pending", "Column families with a compaction pending", "rocksdb.compaction-pending");
        property(m, "tern_rocksdb_running_compactions", "Compactions running", "rocksdb.num-running-compactions");
        property(m, "tern_rocksdb_pending_compaction_bytes", "Estimated bytes compaction still has to rewrite", "rocksdb.estimate-pending-compaction-bytes");
        property(m, "tern_rocksdb_running_flushes", "Memtable flushes running", "rocksdb.num-running-flushes");
        property(m, "tern_rocksdb_live_sst_bytes", "Bytes of live SST files", "rocksdb.live-sst-files-size");
    }

    private void gauge(Metrics m, String name, String help, ToDoubleFunction<StoreStats> f) {
        m.gauge(name, help, () -> store.isOpen() ? f.applyAsDouble(stats()) : 0);
    }

    private void property(Metrics m, String name, String help, String property) {
        m.gauge(name, help, () -> store.isOpen() ? store.rocksProperty(property) : 0);
    }
}
