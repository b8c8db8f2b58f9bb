package dev.tern.config;

/**
 * One memory budget (MB) for the whole process, split so that peak RSS stays under it. About 120 MB
 * is set aside first for what no option bounds: JVM metadata and code, GC structures, thread stacks,
 * direct buffers, and RocksDB's and malloc's own overhead. Of the rest, 3/5 is the JVM heap (set by the
 * launcher as -Xmx with this same formula; the queues live in it) and 2/5
 * is RocksDB's block cache, memtables charged to it (half of it; more for an import on a small budget,
 * see {@link #memtableMb}). The cache of parsed public keys ({@link #publicKeyCacheMb}) comes out of the sixth. The reserve exists because RSS grows with heap and cache plus a fixed part, so a
 * flat split overshot small budgets (figures in BENCHMARKS.md, "Import"). The launcher keeps the JVM's part of the
 * reserve in bounds: the JVM hands freed native memory back every second, and a relay below 384 MB compiles with C1
 * alone, whose code and arenas are smaller than C2's (BENCHMARKS.md, "Sync").
 */
public record MemoryBudget(int totalMb) {
    public static final int DEFAULT_MB = 512;
    public static final int MIN_MB = 192;
    /** Native and JVM overhead that no option bounds. */
    static final int RESERVED_MB = 120;

    public MemoryBudget {
        if (totalMb < MIN_MB) throw new IllegalArgumentException("memory budget must be at least " + MIN_MB + " MB, got " + totalMb);
    }

    /** What heap and cache share: the budget less the reserve, less a sixth for the overhead that grows with them. */
    private int usableMb() { return (totalMb - RESERVED_MB) * 5 / 6; }

    public int heapMb() { return Math.max(48, usableMb() * 3 / 5); }

    public int dbCacheMb() { return Math.max(16, usableMb() * 2 / 5); }

    /**
     * The cache of parsed public keys for signature checks (dev.tern.event.ParsedKeys, off the heap): a 64th of the
     * budget, 8 MB at the default (of which 6 MB are used: 65,536 keys), out of the sixth set aside for the overhead
     * that grows with heap and cache, so that heap, block cache and a bulk import's memtables keep their sizes.
     */
    public int publicKeyCacheMb() { return totalMb / 64; }

    public int dbMemtableMb() { return memtableMb(dbCacheMb(), false); }

    /** Below this, a bulk import's memtables take more than half the cache (see {@link #memtableMb}). */
    static final int BULK_MEMTABLE_MIN_MB = 32;

    /**
     * The memtables charged to a block cache of {@code cacheMb}: half of it, except that a bulk import gets
     * at least {@value #BULK_MEMTABLE_MIN_MB} MB (at most 3/4 of the cache): smaller memtables stop a bulk
     * load's writes for flushes again and again, while more than half a default-sized cache only adds RSS
     * (figures in BENCHMARKS.md, "Import").
     */
    public static int memtableMb(int cacheMb, boolean bulkLoad) {
        int half = cacheMb / 2;
        return bulkLoad ? Math.max(half, Math.min(cacheMb * 3 / 4, BULK_MEMTABLE_MIN_MB)) : half;
    }

    /** The relay's store-writer queue: bursts from many connections wait here instead of being refused. */
    public int writerQueueMb() { return Math.max(4, heapMb() / 6); }

    /**
     * An import's pipeline (lines and parsed events between reading and committing). Queued events outlive
     * young collections: with a sixth of the heap (32 MB) the serial collector copied and promoted them, GC
     * took 0.09-0.11 core and peak RSS was 454 MiB; with 8 MB, 0.02 core, 327 MiB and no fewer events/s
     * (BENCHMARKS.md, Import).
     */
    public int importQueueMb() { return Math.max(4, heapMb() / 24); }

    /**
     * Blossom uploads' and mirrors' buffers (their pipes from the socket to the disk): the number of transfers at
     * once is this over one transfer's bound. Downloads need none: files go to the socket by sendfile.
     */
    public int blobBuffersMb() { return Math.max(4, heapMb() / 12); }

    /**
     * The search index's share of the heap (NIP-50, dev.tern.search): Lucene's indexing RAM buffer, which it
     * flushes to a new segment when full. An eighth of the heap: 24 MB at the default budget (Lucene's own
     * default is 16 MB), 8 MB at 256.
     */
    public int searchBufferMb() { return Math.max(4, heapMb() / 8); }

    /**
     * Mirroring's queues of new local events waiting for their peers (ids, split among the peers): a 64th of the
     * heap, at least 1 MB (about 30,000 ids at the default budget).
     */
    public int mirrorQueueMb() { return Math.max(1, heapMb() / 64); }

    /** Events committed to the store and waiting for the search indexer's thread: a 32nd of the heap, at least 2 MB. */
    public int searchQueueMb() { return Math.max(2, heapMb() / 32); }
}
