package dev.tern.store;

import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksIterator;

/**
 * Scans one key range per prefix of an index, each from {@code until} down to {@code since}, and merges
 * them newest first. Memory is one iterator and one head per range. An event reached through several
 * ranges (e.g. two matching tag values) comes out once: equal serials are adjacent in the merge.
 */
final class RangeMerge implements Candidates {
    private final PriorityQueue<Range> heads =
            new PriorityQueue<>((a, b) -> Candidates.compare(a.createdAt, a.serial, b.createdAt, b.serial));
    private final ScanBudget budget;
    private long createdAt;
    private long serial = -1;
    private int kind = -1;

    /**
     * {@code readKinds}: the index's values start with the event's kind and the reader wants it ({@link #kind}),
     * one more JNI crossing per entry, so a visibility check can skip the bodies of kinds never hidden.
     */
    RangeMerge(ReadContext ctx, ColumnFamilyHandle family, List<byte[]> prefixes, Long since, Long until,
               Set<Integer> kindsInValue, boolean readKinds, ScanBudget budget) {
        this.budget = budget;
        long floor = since == null ? Long.MIN_VALUE : since;
        for (byte[] prefix : prefixes) {
            // each range is an iterator and a seek: a REQ of many filters and values pays for them from the budget
            if (!budget.take()) break;
            RocksIterator it = ctx.iterator(family);
            it.seek(until == null ? prefix : Keys.seekKey(prefix, until));
            Range r = new Range(it, prefix, floor, kindsInValue, readKinds);
            if (r.load()) heads.add(r);
        }
    }

    @Override
    public boolean next() {
        while (!heads.isEmpty()) {
            Range r = heads.poll();
            long c = r.createdAt, s = r.serial;
            int k = r.kind;
            r.it.next();
            if (r.load()) heads.add(r);
            if (s != serial) {
                createdAt = c;
                serial = s;
                kind = k;
                return true;
            }
        }
        return false;
    }

    @Override
    public long createdAt() {
        return createdAt;
    }

    @Override
    public long serial() {
        return serial;
    }

    @Override
    public int kind() {
        return kind;
    }

    private final class Range {
        final RocksIterator it;
        final byte[] prefix;
        final long since;
        final Set<Integer> kindsInValue;
        final boolean readKinds;
        long createdAt;
        long serial;
        int kind = -1;

        Range(RocksIterator it, byte[] prefix, long since, Set<Integer> kindsInValue, boolean readKinds) {
            this.it = it;
            this.prefix = prefix;
            this.since = since;
            this.kindsInValue = kindsInValue;
            this.readKinds = readKinds;
        }

        /** Positions on the next in-range entry at or after the iterator; false when the range is done. */
        boolean load() {
            for (; it.isValid(); it.next()) {
                if (!budget.take()) return false;
                byte[] key = it.key();
                if (!Keys.startsWith(key, prefix) || key.length != prefix.length + Keys.SUFFIX) return false;
                createdAt = Keys.createdAtOfIndexKey(key);
                if (createdAt < since) return false;
                if (kindsInValue != null || readKinds) {
                    byte[] value = it.value();
                    kind = value.length >= 2 ? Keys.getShort(value, 0) : -1;
                    if (kindsInValue != null && !kindsInValue.contains(kind)) continue;
                }
                serial = Keys.serialOfIndexKey(key);
                return true;
            }
            return false;
        }
    }
}
