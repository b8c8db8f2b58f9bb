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
     * -> empty. See {@code EventWriter}.
     */
    static final byte[] REMOVED_PREFIX = bytes(RESERVED + "removed/");

    private MetaKeys() {}

    static byte[] removed(long serial) {
        byte[] k = Arrays.copyOf(REMOVED_PREFIX, REMOVED_PREFIX.length + 8);
        Keys.putLong(k, REMOVED_PREFIX.length, serial);
        return k;
    }

    static long serialOfRemoved(byte[] key) {
        return Keys.getLong(key, REMOVED_PREFIX.length);
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
