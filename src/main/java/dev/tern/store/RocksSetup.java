package dev.tern.store;

import java.util.ArrayList;
import java.util.List;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.MutableColumnFamilyOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksObject;
import org.rocksdb.WriteBufferManager;

/**
 * The RocksDB options of one open store and the native objects behind them, closed after the DB.
 * Memory: one LRU cache holds data, index and filter blocks (so index and filter blocks
 * count against the budget instead of growing per open file), and a WriteBufferManager charges the
 * memtables to that same cache.
 */
final class RocksSetup implements AutoCloseable {
    /**
     * Events (json, 0.3-12 KB each) sit in 16 KB blocks. Measured on 100k generated events (BENCHMARKS.md
     * "Store"): ZSTD for every level wrote 46% slower than LZ4 (flushes and compactions compress on the
     * same 2 cores as ingest) for a 14% smaller store. So LZ4 where data is rewritten often, ZSTD on the
     * bottommost level, which holds most of the data and is written once per compaction.
     */
    static final CompressionType EVENTS_COMPRESSION = CompressionType.LZ4_COMPRESSION;
    static final CompressionType EVENTS_BOTTOMMOST_COMPRESSION = CompressionType.ZSTD_COMPRESSION;
    private static final long MB = 1024L * 1024;
    private static final int BULK_L0_LIMIT = 1 << 30;
    private static final int DEFAULT_L0_SLOWDOWN = 20;
    private static final int DEFAULT_L0_STOP = 36;

    final LRUCache cache;
    final DBOptions dbOptions;
    final List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    private final List<RocksObject> owned = new ArrayList<>();
    private final long normalWriteBuffer;

    RocksSetup(StoreConfig config) {
        RocksDB.loadLibrary();
        // Not strict: with a strict limit, the 1M-event benchmark failed writes with "Insert failed due to
        // LRU cache being full" once the WriteBufferManager's memtable reservations plus pinned L0 index and
        // filter blocks filled the cache. Unpinned blocks are still evicted to stay at capacity; the overshoot
        // is what is pinned at once, reported by StoreStats.blockCachePinned.
        cache = own(new LRUCache(config.blockCacheBytes(), -1, false));
        WriteBufferManager wbm = own(new WriteBufferManager(config.memtableBytes(), cache));
        dbOptions = own(new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setMaxOpenFiles(config.maxOpenFiles())
                .setWriteBufferManager(wbm)
                .setMaxBackgroundJobs(2)
                // bounds the WAL: rarely written families (meta, deleted) are flushed instead of pinning old logs
                .setMaxTotalWalSize(Math.max(16 * MB, config.memtableBytes() * 4))
                // without a WAL (bulk load), families must flush together so a crash leaves a state that is a
                // prefix of the committed batches, checkpoints included
                .setAtomicFlush(config.bulkLoad())
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                .setKeepLogFileNum(3));
        normalWriteBuffer = clamp(config.memtableBytes() / 4, MB, 64 * MB);
        long writeBuffer = config.bulkLoad() ? clamp(config.memtableBytes() / 2, MB, 256 * MB) : normalWriteBuffer;

        BloomFilter bloom = own(new BloomFilter(10));
        // with compaction off, L0 files pile up and pinning all their index/filter blocks would fill the cache
        boolean pinL0 = !config.bulkLoad();
        BlockBasedTableConfig pointLookups = table(bloom, 4 * 1024, pinL0);
        BlockBasedTableConfig scans = table(null, 4 * 1024, pinL0);
        BlockBasedTableConfig events = table(null, 16 * 1024, pinL0);

        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, family(scans, CompressionType.LZ4_COMPRESSION, writeBuffer, config)));
        descriptors.add(descriptor(Families.EVENTS, family(events, EVENTS_COMPRESSION, writeBuffer, config)
                .setBottommostCompressionType(EVENTS_BOTTOMMOST_COMPRESSION)));
        for (String name : List.of(Families.IDS, Families.REPLACE, Families.DELETED, Families.META)) {
            descriptors.add(descriptor(name, family(pointLookups, CompressionType.LZ4_COMPRESSION, writeBuffer, config)));
        }
        descriptors.add(descriptor(Families.EXPIRY, family(scans, CompressionType.LZ4_COMPRESSION, writeBuffer, config)));
        for (Index index : Index.values()) {
            descriptors.add(descriptor(index.family, family(scans, CompressionType.LZ4_COMPRESSION, writeBuffer, config)));
        }
    }

    /** The options that end bulk-load mode: normal write buffers and L0 limits, auto-compaction on. */
    MutableColumnFamilyOptions normalMode() {
        return MutableColumnFamilyOptions.builder()
                .setDisableAutoCompactions(false)
                .setLevel0SlowdownWritesTrigger(DEFAULT_L0_SLOWDOWN)
                .setLevel0StopWritesTrigger(DEFAULT_L0_STOP)
                .setWriteBufferSize(normalWriteBuffer)
                .build();
    }

    private BlockBasedTableConfig table(BloomFilter bloom, long blockSize, boolean pinL0) {
        BlockBasedTableConfig t = new BlockBasedTableConfig()
                .setBlockCache(cache)
                .setBlockSize(blockSize)
                .setCacheIndexAndFilterBlocks(true)
                .setCacheIndexAndFilterBlocksWithHighPriority(true)
                .setPinL0FilterAndIndexBlocksInCache(pinL0)
                .setFormatVersion(5);
        if (bloom != null) t.setFilterPolicy(bloom);
        return t;
    }

    private ColumnFamilyOptions family(BlockBasedTableConfig table, CompressionType compression, long writeBuffer,
                                       StoreConfig config) {
        ColumnFamilyOptions o = own(new ColumnFamilyOptions())
                .setTableFormatConfig(table)
                .setCompressionType(compression)
                .setWriteBufferSize(writeBuffer)
                .setLevelCompactionDynamicLevelBytes(true);
        if (config.bulkLoad()) {
            o.setDisableAutoCompactions(true)
                    .setLevel0SlowdownWritesTrigger(BULK_L0_LIMIT)
                    .setLevel0StopWritesTrigger(BULK_L0_LIMIT);
        }
        return o;
    }

    private static ColumnFamilyDescriptor descriptor(String name, ColumnFamilyOptions options) {
        return new ColumnFamilyDescriptor(name.getBytes(java.nio.charset.StandardCharsets.UTF_8), options);
    }

    private <T extends RocksObject> T own(T o) {
        owned.add(o);
        return o;
    }

    private static long clamp(long v, long min, long max) {
        return Math.max(min, Math.min(max, v));
    }

    @Override
    public void close() {
        for (int i = owned.size() - 1; i >= 0; i--) owned.get(i).close();
    }
}
