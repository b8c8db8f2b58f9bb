package dev.tern.event;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A bounded cache of parsed x-only public keys (libsecp256k1's 64-byte {@code secp256k1_xonly_pubkey}) by their 32
 * bytes, shared by every verifying thread, in one native segment: sets of two slots (key, parsed form), the newer
 * entry first. Parsing lifts the x coordinate to a curve point (a square root), a tenth of a verification, and an
 * author's events repeat (BENCHMARKS.md, Import, "Lever 5"). Readers copy the parsed form out under the set's lock,
 * so a slot rewritten by another thread can never be verified against.
 */
final class ParsedKeys {
    static final int KEY_BYTES = 32;
    static final int PARSED_BYTES = 64;
    private static final int SLOT_BYTES = KEY_BYTES + PARSED_BYTES;
    private static final int SET_BYTES = 2 * SLOT_BYTES;
    private static final int LOCKS = 64;

    private final MemorySegment sets;
    private final int setMask;
    private final Object[] locks = new Object[LOCKS];

    /** A cache of at most {@code bytes} (the largest power-of-two number of sets that fits, at least one). */
    ParsedKeys(long bytes) {
        long count = Long.highestOneBit(Math.max(1, Math.min(bytes / SET_BYTES, 1L << 30)));
        this.setMask = (int) count - 1;
        this.sets = Arena.ofAuto().allocate(count * SET_BYTES); // zeroed: an all-zero key, never a valid one, marks an empty slot
        for (int i = 0; i < LOCKS; i++) locks[i] = new Object();
    }

    long bytes() { return sets.byteSize(); }

    /** Copies the parsed form of {@code key} into {@code parsed} if cached; false otherwise (and always for a zero key). */
    boolean get(MemorySegment key, MemorySegment parsed) {
        if (isZero(key)) return false;
        int set = set(key);
        long base = (long) set * SET_BYTES;
        synchronized (locks[set & (LOCKS - 1)]) {
            for (long slot = base; slot < base + SET_BYTES; slot += SLOT_BYTES) {
                if (MemorySegment.mismatch(sets, slot, slot + KEY_BYTES, key, 0, KEY_BYTES) == -1) {
                    MemorySegment.copy(sets, slot + KEY_BYTES, parsed, 0, PARSED_BYTES);
                    return true;
                }
            }
        }
        return false;
    }

    /** Caches {@code parsed}, the parsed form of the valid {@code key}, evicting the older of its set's two entries. */
    void put(MemorySegment key, MemorySegment parsed) {
        if (isZero(key)) return;
        int set = set(key);
        long base = (long) set * SET_BYTES;
        synchronized (locks[set & (LOCKS - 1)]) {
            MemorySegment.copy(sets, base, sets, base + SLOT_BYTES, SLOT_BYTES);
            MemorySegment.copy(key, 0, sets, base, KEY_BYTES);
            MemorySegment.copy(parsed, 0, sets, base + KEY_BYTES, PARSED_BYTES);
        }
    }

    /** Keys are x coordinates, uniform for honest keys; crafted ones colliding in a set only cost their author misses. */
    private int set(MemorySegment key) {
        long h = key.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
        return (int) (h ^ (h >>> 32)) & setMask;
    }

    private static boolean isZero(MemorySegment key) {
        for (long i = 0; i < KEY_BYTES; i += 8) {
            if (key.get(ValueLayout.JAVA_LONG_UNALIGNED, i) != 0) return false;
        }
        return true;
    }
}
