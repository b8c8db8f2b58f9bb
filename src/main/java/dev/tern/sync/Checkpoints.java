package dev.tern.sync;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every k-th item of one side's set (newest first), each with the fingerprint of all items from the newest down to
 * it, made by one scan of the whole set. The fingerprint of any range is then the difference of two such sums, each
 * completed from one interval between checkpoints (at most k items, read once per message and kept for the next
 * ranges of it): so a message costs what its ranges' edges cost, not their sizes, and the rest of the set, which a
 * full frame ends with, costs no scan of the rest. A range holding many checkpoints is split at them.
 * At most {@code max} checkpoints are kept (k doubles as the set grows), so a session's memory does not grow with
 * the set's size.
 */
final class Checkpoints {
    /** Intervals kept while one message is processed: its ranges come in order, so each is read about once. */
    private static final int CACHED_INTERVALS = 3;
    private final ItemSource items;
    private final int max;
    private int k = 16;
    private int size;
    private long[] createdAt;
    private byte[] ids;
    /** above[j]: the fingerprint of every item at or above checkpoint j (j included). */
    private Fingerprint[] above;
    private final Fingerprint total = new Fingerprint();
    private final Map<Integer, Interval> cached = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Interval> eldest) {
            return size() > CACHED_INTERVALS;
        }
    };

    private Checkpoints(ItemSource items, int max) {
        this.items = items;
        this.max = max;
        this.createdAt = new long[max];
        this.ids = new byte[max * Item.ID_SIZE];
        this.above = new Fingerprint[max];
    }

    /** Reads the whole set once. */
    static Checkpoints build(ItemSource items, int max) throws NegentropyException {
        if (max < 2) throw new IllegalArgumentException("at least 2 checkpoints");
        Checkpoints c = new Checkpoints(items, max);
        long[] rank = {0};
        items.scan(Bound.ZERO, Bound.INFINITY, item -> {
            c.total.add(item.id());
            if (rank[0] % c.k == 0) {
                if (c.size == c.max) c.halve();
                if (rank[0] % c.k == 0) c.append(item);
            }
            rank[0]++;
            return true;
        });
        return c;
    }

    private void append(Item item) {
        createdAt[size] = item.createdAt();
        System.arraycopy(item.id(), 0, ids, size * Item.ID_SIZE, Item.ID_SIZE);
        above[size] = new Fingerprint(total);
        size++;
    }

    /** Keeps every other checkpoint (ranks 0, 2k, 4k ...) and doubles k. */
    private void halve() {
        int kept = 0;
        for (int j = 0; j < size; j += 2, kept++) {
            createdAt[kept] = createdAt[j];
            System.arraycopy(ids, j * Item.ID_SIZE, ids, kept * Item.ID_SIZE, Item.ID_SIZE);
            above[kept] = above[j];
        }
        Arrays.fill(above, kept, size, null);
        size = kept;
        k *= 2;
    }

    long count() {
        return total.count();
    }

    /** Forgets the intervals read for one message: between messages only the checkpoints are held. */
    void release() {
        cached.clear();
    }

    /** The fingerprint (and count) of the items in [lower, upper). */
    Fingerprint range(Bound lower, Bound upper) throws NegentropyException {
        Fingerprint f = atOrAbove(lower);
        f.subtract(atOrAbove(upper));
        return f;
    }

    /** The number of checkpoints at or above {@code b}; b lies in the interval of that number. */
    int locate(Bound b) {
        int lo = 0, hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (!b.isAbove(checkpoint(mid))) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** The number of checkpoints strictly above {@code b}. */
    int locateAbove(Bound b) {
        int m = locate(b);
        return m > 0 && isCheckpoint(b, m - 1) ? m - 1 : m;
    }

    /** The bound just below checkpoint {@code j}: items at or above it are those from the newest down to checkpoint j. */
    Bound bound(int j) {
        return new Bound(createdAt[j], Arrays.copyOfRange(ids, j * Item.ID_SIZE, (j + 1) * Item.ID_SIZE));
    }

    /** The fingerprint of every item at or above {@link #bound}(j). */
    Fingerprint atOrAbove(int j) {
        return new Fingerprint(above[j]);
    }

    /** The fingerprint of the items at or above {@code b}. */
    Fingerprint atOrAbove(Bound b) throws NegentropyException {
        int m = locate(b);
        if (m == 0) return new Fingerprint(); // b is above the newest item
        Fingerprint f = atOrAbove(m - 1);
        if (isCheckpoint(b, m - 1)) return f; // a bound this side split at: no item to read
        Interval in = interval(m);
        f.add(in.suffix(in.firstAtOrAbove(b)));
        return f;
    }

    /**
     * The items of [lower, upper) in ascending order when they lie within two adjacent intervals (so they were read
     * for the range's fingerprint already); null otherwise, for the caller to scan.
     */
    List<Item> itemsIfNear(Bound lower, Bound upper) throws NegentropyException {
        int ml = locate(lower), mu = locate(upper);
        if (ml - mu > 1) return null;
        List<Item> out = new ArrayList<>();
        for (int m = ml; m >= mu; m--) {
            Interval in = interval(m);
            for (int i = in.firstAtOrAbove(lower); i < in.size && upper.isAbove(in.item(i)); i++) out.add(in.item(i));
        }
        return out;
    }

    private boolean isCheckpoint(Bound b, int j) {
        return b.timestamp() == createdAt[j] && b.prefix().length == Item.ID_SIZE
                && Arrays.equals(b.prefix(), 0, Item.ID_SIZE, ids, j * Item.ID_SIZE, (j + 1) * Item.ID_SIZE);
    }

    private Item checkpoint(int j) {
        return new Item(createdAt[j], Arrays.copyOfRange(ids, j * Item.ID_SIZE, (j + 1) * Item.ID_SIZE));
    }

    /**
     * Interval m: the items below checkpoint m - 1 and at or above checkpoint m; interval 0 is the newest item alone,
     * the last one reaches down to zero.
     */
    private Interval interval(int m) throws NegentropyException {
        Interval in = cached.get(m);
        if (in == null) {
            in = new Interval(items, m == size ? Bound.ZERO : bound(m), m == 0 ? Bound.INFINITY : bound(m - 1), m == 0 ? 1 : k);
            cached.put(m, in);
        }
        return in;
    }

    /** The items of one interval, ascending, with the fingerprint of each suffix. */
    private static final class Interval {
        final int size;
        final long[] createdAt;
        final byte[] ids;
        /** sums[i]: the items from i to the end (the newest), as 4 limbs and a count, kept as Fingerprints. */
        final Fingerprint[] suffix;

        Interval(ItemSource source, Bound lower, Bound upper, int capacity) throws NegentropyException {
            List<Item> newestFirst = new ArrayList<>(capacity);
            source.scan(lower, upper, newestFirst::add);
            size = newestFirst.size();
            createdAt = new long[size];
            ids = new byte[size * Item.ID_SIZE];
            suffix = new Fingerprint[size + 1];
            suffix[size] = new Fingerprint();
            for (int n = 0; n < size; n++) {
                int i = size - 1 - n;
                Item item = newestFirst.get(n);
                createdAt[i] = item.createdAt();
                System.arraycopy(item.id(), 0, ids, i * Item.ID_SIZE, Item.ID_SIZE);
                suffix[i] = new Fingerprint(suffix[i + 1]);
                suffix[i].add(ids, i * Item.ID_SIZE);
            }
        }

        Item item(int i) {
            return new Item(createdAt[i], Arrays.copyOfRange(ids, i * Item.ID_SIZE, (i + 1) * Item.ID_SIZE));
        }

        /** The index of the first item at or above {@code b} (size if none). */
        int firstAtOrAbove(Bound b) {
            int lo = 0, hi = size;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (b.isAbove(item(mid))) lo = mid + 1;
                else hi = mid;
            }
            return lo;
        }

        Fingerprint suffix(int i) {
            return suffix[i];
        }
    }
}
