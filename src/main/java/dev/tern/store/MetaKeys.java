package dev.tern.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Keys of the {@code meta} family. Keys starting with {@value #RESERVED} belong to the store itself. */
final class MetaKeys {
    static final String RESERVED = "store/";
    /** The next serial to assign (8 bytes). */
    static final byte[] NEXT_SERIAL = bytes(RESERVED + "next-serial");
    /** Exact number of stored events (8 bytes). */
    static final byte[] EVENT_COUNT = bytes(RESERVED + "count");
    /** Prefix of per-kind counts: {@code store/kind/} + 2-byte kind -> 8-byte count. */
    static final byte[] KIND_COUNT_PREFIX = bytes(RESERVED + "kind/");

    /**
     * Prefix of event records whose removal a bulk load deferred: {@code store/removed/} + 8-byte serial
     * -> empty. See {@code Reclaimer}.
     */
    static final byte[] REMOVED_PREFIX = bytes(RESERVED + "removed/");

    /**
     * Prefix of the records of events removed while serving, whose ids, index and expiry keys are already
     * gone: {@code store/purge/} + 8-byte serial -> empty. Deleted together later; see {@code Reclaimer}.
     */
    static final byte[] PURGE_PREFIX = bytes(RESERVED + "purge/");

    /**
     * While a bulk load runs: every event before this serial (8) has its index keys in the index families; those
     * of later events may still be missing after a crash, and are built again from the events family when the
     * store opens. Absent outside a bulk load. See {@code IndexRuns}.
     */
    static final byte[] INDEXED_THROUGH = bytes(RESERVED + "indexed-through");

    private MetaKeys() {}

    /** {@code prefix} ({@link #REMOVED_PREFIX} or {@link #PURGE_PREFIX}) followed by {@code serial}. */
    static byte[] serialMarker(byte[] prefix, long serial) {
        byte[] k = Arrays.copyOf(prefix, prefix.length + 8);
        Keys.putLong(k, prefix.length, serial);
        return k;
    }

    /** The serial at the end of a key made by {@link #serialMarker}. */
    static long serialOfMarker(byte[] key) {
        return Keys.getLong(key, key.length - 8);
    }

    static void requireUserKey(String key) {
        if (key == null || key.isEmpty()) throw new IllegalArgumentException("meta key must be non-empty");
        if (key.startsWith(RESERVED)) throw new IllegalArgumentException("meta keys starting with '" + RESERVED + "' are reserved");
    }

    static byte[] userKey(String key) {
        requireUserKey(key);
        return bytes(key);
    }

    static byte[] kindCount(int kind) {
        byte[] k = new byte[KIND_COUNT_PREFIX.length + 2];
        System.arraycopy(KIND_COUNT_PREFIX, 0, k, 0, KIND_COUNT_PREFIX.length);
        Keys.putShort(k, KIND_COUNT_PREFIX.length, kind);
        return k;
    }

    static int kindOfCountKey(byte[] key) {
        return Keys.getShort(key, KIND_COUNT_PREFIX.length);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
