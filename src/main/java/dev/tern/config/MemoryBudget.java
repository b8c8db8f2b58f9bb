package dev.tern.config;

/**
 * One memory budget (MB) for the whole process, split so that peak RSS stays under it. About 120 MB
 * is set aside first for what no option bounds: JVM metadata and code, GC structures, thread stacks,
 * direct buffers, and RocksDB's and malloc's own overhead. Of the rest, 3/5 is the JVM heap (set by the
 * launcher as -Xmx with this same formula; the pipeline queues, 1/6 of the heap, live in it) and 2/5
 * is RocksDB's block cache, memtables charged to it (half of it).
 *
 * <p>Measured (BENCHMARKS.md, Import): RSS came to about 104 MB + 1.18 x (heap + cache), so a flat
 * split of the budget overshot small budgets; the reserve makes 256 MB fit.
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

    public int dbMemtableMb() { return dbCacheMb() / 2; }

    public int importQueueMb() { return Math.max(4, heapMb() / 6); }
}
