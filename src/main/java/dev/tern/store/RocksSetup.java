package dev.tern.store;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.IndexType;
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
     * Events (json, 0.3-12 KB each) are compressed LZ4 where data is rewritten often, since flushes
     * and compactions compress on the cores ingest uses, and ZSTD on the bottommost level, which holds most
     * of the data and is written once per compaction (figures in BENCHMARKS.md, "Store").
     */
    static final CompressionType EVENTS_COMPRESSION = CompressionType.LZ4_COMPRESSION;
    static final CompressionType EVENTS_BOTTOMMOST_COMPRESSION = CompressionType.ZSTD_COMPRESSION;
    /** ZSTD level 1, not the default 3: the compaction that ends a bulk load spends most of its time in ZSTD. */
    static final int EVENTS_BOTTOMMOST_LEVEL = 1;
    /**
     * Events sit in 4 KB blocks: a query reads events one by one at scattered places, and each read of one not in
     * the block cache decompresses its whole block; 16 KB blocks cost the small REQs about a third more time, for
     * a store 7% smaller (BENCHMARKS.md, issue 17). The block size is recorded per file, so files written with
     * another size stay readable and take this one when compacted.
     */
    static final int EVENTS_BLOCK_BYTES = 4 * 1024;
    private static final long MB = 1024L * 1024;
    /** One flush and one compaction at a time, beside the ingest threads on a small machine. */
    static final int BACKGROUND_JOBS = 2;
    /** The memtable filter's share of a write buffer: about 10 bits per key of an ids memtable (~80 bytes a key). */
    private static final double MEMTABLE_BLOOM_RATIO = 0.02;
    private static final int BULK_L0_LIMIT = 1 << 30;
    private static final int DEFAULT_L0_SLOWDOWN = 20;
    private static final int DEFAULT_L0_STOP = 36;

    final LRUCache cache;
    final DBOptions dbOptions;
    final List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    /** The index families' options, for the table files a bulk load writes into them ({@code IndexRuns}). */
    final Map<Index, ColumnFamilyOptions> indexOptions = new EnumMap<>(Index.class);
    /** The memtables' share of the cache: the store's, less what a bulk load's {@code IndexRuns} take of it. */
    final long memtableBytes;
    private final List<RocksObject> owned = new ArrayList<>();
    private final long normalWriteBuffer;
    private final FailFastOnFullDisk fullDisk;

    RocksSetup(StoreConfig config) {
        RocksDB.loadLibrary();
        fullDisk = new FailFastOnFullDisk();
        // Not strict: a strict limit fails writes ("LRU cache being full") once the memtable reservations and
        // the pinned L0 index and filter blocks fill the cache. Unpinned blocks are still evicted; the overshoot
        // is what is pinned at once, reported by StoreStats.blockCachePinned.
        // Half the cache is a high-priority pool for index and filter blocks, so a burst of data-block reads
        // (replaced events, REQ scans) cannot evict the filters every duplicate check needs.
        cache = own(new LRUCache(config.blockCacheBytes(), -1, false, 0.5));
        memtableBytes = config.memtableBytes() - config.indexRunBytes();
        WriteBufferManager wbm = own(new WriteBufferManager(memtableBytes, cache));
        dbOptions = own(new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setMaxOpenFiles(config.maxOpenFiles())
                .setWriteBufferManager(wbm)
                .setMaxBackgroundJobs(BACKGROUND_JOBS)
                // bounds the WAL: rarely written families (meta, deleted) are flushed instead of pinning old logs
                .setMaxTotalWalSize(Math.max(16 * MB, memtableBytes * 4))
                // without a WAL (bulk load), families must flush together so a crash leaves a state that is a
                // prefix of the committed batches, checkpoints included
                .setAtomicFlush(config.bulkLoad())
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                .setKeepLogFileNum(3)
                .setListeners(List.of(fullDisk)));
        normalWriteBuffer = clamp(config.memtableBytes() / 4, MB, 64 * MB);
        long writeBuffer = config.bulkLoad() ? clamp(config.memtableBytes() / 2, MB, 256 * MB) : normalWriteBuffer;

        BloomFilter bloom = own(new BloomFilter(10));
        // with compaction off, L0 files pile up and pinning all their index/filter blocks would fill the cache;
        // the point-lookup families keep compacting, so their L0 stays small and pinned even in bulk mode
        boolean pinL0 = !config.bulkLoad();
        // Partitioned filters and a two-level index: a lookup loads one small filter partition, not a
        // whole-file filter of megabytes; with a cache smaller than the filters (a big import on a small
        // budget) whole-file filters were reloaded per lookup and the import slowed as the ids family grew.
        BlockBasedTableConfig pointLookups = partitioned(table(bloom, 4 * 1024, true));
        BlockBasedTableConfig scans = table(null, 4 * 1024, pinL0);
        // Events are read by serial: by queries, by the writer when a NIP-09 deletion names a stored event, and
        // at the end of a bulk load, which leaves hundreds of uncompacted L0 files. A bloom filter skips the
        // files without the serial; the partitioned index keeps their index blocks out of the cache until used.
        BlockBasedTableConfig events = partitioned(table(bloom, EVENTS_BLOCK_BYTES, pinL0));

        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, family(scans, CompressionType.LZ4_COMPRESSION, writeBuffer, config)));
        descriptors.add(descriptor(Families.EVENTS, deferCompaction(family(events, EVENTS_COMPRESSION, writeBuffer, config)
                .setBottommostCompressionType(EVENTS_BOTTOMMOST_COMPRESSION)
                .setBottommostCompressionOptions(own(new CompressionOptions()).setLevel(EVENTS_BOTTOMMOST_LEVEL).setEnabled(true)), config)));
        // The writer reads these on every event (duplicate, replace and tombstone checks). They are small, so
        // they keep compacting during a bulk load: otherwise each lookup probes every L0 file flushed so far
        // and the import slows down as the store grows.
        // A whole-key bloom filter in their memtables answers a lookup of an absent key (every new event's id, on
        // the event loop's duplicate check and in the writer's) without a skiplist search through cache misses.
        for (String name : List.of(Families.IDS, Families.REPLACE, Families.DELETED, Families.META)) {
            descriptors.add(descriptor(name, family(pointLookups, CompressionType.LZ4_COMPRESSION, writeBuffer, config)
                    .setMemtablePrefixBloomSizeRatio(MEMTABLE_BLOOM_RATIO)
                    .setMemtableWholeKeyFiltering(true)));
        }
        descriptors.add(descriptor(Families.EXPIRY, deferCompaction(family(scans, CompressionType.LZ4_COMPRESSION, writeBuffer, config), config)));
        // a bulk load writes the indexes' keys as sorted files (IndexRuns), with these same options
        for (Index index : Index.values()) {
            indexOptions.put(index, deferCompaction(family(scans, CompressionType.LZ4_COMPRESSION, writeBuffer, config), config));
            descriptors.add(descriptor(index.family, indexOptions.get(index)));
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

    /**
     * The options of the write-only families while an upload runs into the serving store: no compaction and no
     * stall on L0 files until it ends, as in a bulk load ({@link EventStore#beginUpload}).
     */
    MutableColumnFamilyOptions deferredCompaction() {
        return MutableColumnFamilyOptions.builder()
                .setDisableAutoCompactions(true)
                .setLevel0SlowdownWritesTrigger(BULK_L0_LIMIT)
                .setLevel0StopWritesTrigger(BULK_L0_LIMIT)
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

    /** A two-level index and filters of 4 KB partitions; only the top level stays pinned. */
    private static BlockBasedTableConfig partitioned(BlockBasedTableConfig t) {
        return t.setIndexType(IndexType.kTwoLevelIndexSearch)
                .setPartitionFilters(true)
                .setMetadataBlockSize(4 * 1024)
                .setPinTopLevelIndexAndFilter(true);
    }

    private ColumnFamilyOptions family(BlockBasedTableConfig table, CompressionType compression, long writeBuffer,
                                       StoreConfig config) {
        ColumnFamilyOptions o = own(new ColumnFamilyOptions())
                .setTableFormatConfig(table)
                .setCompressionType(compression)
                .setWriteBufferSize(writeBuffer)
                .setLevelCompactionDynamicLevelBytes(true);
        // The write buffer manager counts a memtable's arena blocks as allocated, an eighth of the write buffer
        // each by default: a bulk load's six written families took 24 MB of its 32 MB at once (IndexRuns has the
        // rest of the memtables' share), so flushes came at a third of the events they could hold.
        if (config.bulkLoad()) o.setArenaBlockSize(MB);
        return o;
    }

    /** Bulk mode: the large, write-only families skip compaction until {@link EventStore#finishBulkLoad()}. */
    private static ColumnFamilyOptions deferCompaction(ColumnFamilyOptions o, StoreConfig config) {
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
        fullDisk.close();
    }
}
