package dev.tern.ingest;

import dev.tern.event.VerifiedBefore;
import dev.tern.store.EventStore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Which events of an import need no signature check: exact copies of events stored already (issue 22, lever 4).
 * A Bloom filter of the ids verified in this import (and, in an offline bulk load, of the ids stored before it)
 * answers almost every new event at the cost of one memory read; only on a hit does the store say whether the
 * same id is stored with the same signature. A copy whose first arrival is still in flight, or was not stored
 * (ephemeral, superseded, ...), is checked again: outcomes and report counts are those of a full check.
 *
 * <p>Bounded: the filter is a fixed bit array of {@link #BITS_PER_ID} bits per id it can hold; past that many
 * ids it takes no more, so its false-hit rate (each hit a store lookup) stays near 2%.
 */
final class VerifiedIds implements VerifiedBefore {
    static final int BITS_PER_ID = 10;
    /** Bits set per id, all in one 64-bit word: a lookup is one cache line. */
    private static final int PROBES = 6;

    private final EventStore store;
    private final AtomicLongArray words;
    private final long capacity;
    private final AtomicLong added = new AtomicLong();

    /** A filter of {@code bytes} (at least 8) for an import into {@code store}. */
    VerifiedIds(EventStore store, long bytes) {
        this.store = store;
        this.words = new AtomicLongArray((int) Math.min(Integer.MAX_VALUE - 8, Math.max(1, bytes / 8)));
        this.capacity = (long) words.length() * 64 / BITS_PER_ID;
    }

    /**
     * Adds the store's ids while it is in bulk-load mode, up to the filter's capacity: an offline import owns
     * the store, where a relay's store may be large and serving, so its imports start without the scan.
     */
    VerifiedIds preloaded() {
        if (store.bulkLoading()) store.forEachId(this::add);
        return this;
    }

    @Override
    public boolean holds(byte[] id, byte[] sig) {
        long w = words.get(word(id)), mask = mask(id);
        return (w & mask) == mask && store.holds(id, sig);
    }

    @Override
    public void verified(byte[] id) {
        add(id);
    }

    /** False once the filter is full. */
    boolean add(byte[] id) {
        if (added.get() >= capacity) return false;
        added.incrementAndGet();
        words.getAndAccumulate(word(id), mask(id), (a, b) -> a | b);
        return true;
    }

    long size() {
        return Math.min(added.get(), capacity);
    }

    /** Ids are SHA-256 digests, so their bytes are uniform: the first eight pick the word, the next eight the bits. */
    private int word(byte[] id) {
        return (int) Long.remainderUnsigned(longAt(id, 0), words.length());
    }

    private static long mask(byte[] id) {
        long bits = longAt(id, 8), mask = 0;
        for (int i = 0; i < PROBES; i++, bits >>>= 6) mask |= 1L << (bits & 63);
        return mask;
    }

    private static long longAt(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = v << 8 | (b[off + i] & 0xff);
        return v;
    }
}
