package dev.tern.config;

/**
 * One memory budget (MB) for the whole process, split so that peak RSS stays under it: the JVM heap
 * (set by the launcher as -Xmx, the same 3/8 share computed here), RocksDB's block cache with the
 * memtables charged to it (1/4), the pipeline queues inside the heap (1/16), and the remainder for
 * JVM metadata, thread stacks, direct buffers and RocksDB's unaccounted native memory.
 */
public record MemoryBudget(int totalMb) {
    public static final int DEFAULT_MB = 512;
    public static final int MIN_MB = 128;

    public MemoryBudget {
        if (totalMb < MIN_MB) throw new IllegalArgumentException("memory budget must be at least " + MIN_MB + " MB, got " + totalMb);
    }

    public int heapMb() { return Math.max(48, totalMb * 3 / 8); }

    public int dbCacheMb() { return Math.max(16, totalMb / 4); }

    public int dbMemtableMb() { return dbCacheMb() / 2; }

    public int importQueueMb() { return Math.max(4, totalMb / 16); }
}
