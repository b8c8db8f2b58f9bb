package dev.tern.store;

import dev.tern.event.EventJson;
import dev.tern.event.Hex;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Byte layouts of keys and values. All integers are big-endian so byte order is numeric order. Index
 * keys are {@code prefix + ~created_at (8) + serial (8)}: {@code ~created_at} makes a forward scan go
 * newest first (created_at >= 0, so its complement orders descending as unsigned).
 */
final class Keys {
    static final int SERIAL = 8;
    static final int SUFFIX = 16;
    static final int ID = 32;

    /** Tag value types: a lowercase 64-hex value as 32 bytes; other UTF-8 up to 255 bytes with a length;
     *  longer values as their SHA-256 (inexact, so such queries post-filter). The type byte plus the
     *  fixed or stated length make every tag prefix self-delimiting. */
    static final byte TAG_HEX32 = 0;
    static final byte TAG_TEXT = 1;
    static final byte TAG_HASHED = 2;
    static final int TAG_TEXT_MAX = 255;

    static final byte TOMBSTONE_ID = 0;
    static final byte TOMBSTONE_ADDRESS = 1;
    static final byte TOMBSTONE_VANISH = 2;

    private Keys() {}

    static byte[] serial(long serial) {
        byte[] b = new byte[SERIAL];
        putLong(b, 0, serial);
        return b;
    }

    /** {@code prefix + ~createdAt + serial}. */
    static byte[] indexKey(byte[] prefix, long createdAt, long serial) {
        byte[] k = Arrays.copyOf(prefix, prefix.length + SUFFIX);
        putLong(k, prefix.length, ~createdAt);
        putLong(k, prefix.length + 8, serial);
        return k;
    }

    /** The first key of a range whose events have created_at <= until. */
    static byte[] seekKey(byte[] prefix, long until) {
        byte[] k = Arrays.copyOf(prefix, prefix.length + 8);
        putLong(k, prefix.length, ~until);
        return k;
    }

    static long createdAtOfIndexKey(byte[] key) {
        return ~getLong(key, key.length - SUFFIX);
    }

    static long serialOfIndexKey(byte[] key) {
        return getLong(key, key.length - SERIAL);
    }

    /** The created_at index's value: kind (2) + id (32). Stores written before it hold empty values there. */
    static byte[] kindAndId(int kind, byte[] id) {
        byte[] v = Arrays.copyOf(kindPrefix(kind), 2 + ID);
        System.arraycopy(id, 0, v, 2, ID);
        return v;
    }

    static byte[] kindPrefix(int kind) {
        byte[] k = new byte[2];
        putShort(k, 0, kind);
        return k;
    }

    static byte[] authorKindPrefix(byte[] pubkey, int kind) {
        byte[] k = Arrays.copyOf(pubkey, ID + 2);
        putShort(k, ID, kind);
        return k;
    }

    /** {@code letter + type + value}; see the TAG_* constants. */
    static byte[] tagPrefix(char letter, String value) {
        return tagKey(letter, value, 0);
    }

    /** An event's key in the tag index: the tag prefix, inverted created_at and serial, built in one array. */
    static byte[] tagIndexKey(char letter, String value, long createdAt, long serial) {
        byte[] k = tagKey(letter, value, SUFFIX);
        putLong(k, k.length - SUFFIX, ~createdAt);
        putLong(k, k.length - SERIAL, serial);
        return k;
    }

    /** The tag prefix followed by {@code spare} zero bytes for the caller to fill. */
    private static byte[] tagKey(char letter, String value, int spare) {
        if (value.length() == 2 * ID) { // the common e/p/a-target case, decoded in one pass into the key
            byte[] k = new byte[2 + ID + spare];
            k[0] = (byte) letter;
            k[1] = TAG_HEX32;
            if (Hex.decodeLowerInto(value, k, 2, ID)) return k;
        }
        byte[] ascii = asciiTextKey(letter, value, spare);
        if (ascii != null) return ascii;
        byte[] text = value.getBytes(StandardCharsets.UTF_8);
        if (text.length <= TAG_TEXT_MAX) return header(new byte[3 + text.length + spare], letter, TAG_TEXT, text.length, text);
        return header(new byte[2 + ID + spare], letter, TAG_HASHED, -1, EventJson.sha256(text));
    }

    /** Writes letter, type, the length byte (if {@code length >= 0}) and {@code body} at the start of {@code k}. */
    private static byte[] header(byte[] k, char letter, byte type, int length, byte[] body) {
        k[0] = (byte) letter;
        k[1] = type;
        int at = 2;
        if (length >= 0) k[at++] = (byte) length;
        System.arraycopy(body, 0, k, at, body.length);
        return k;
    }

    /** The TAG_TEXT key of a short ASCII value written straight into the key (most k, t, d, r values), or null. */
    private static byte[] asciiTextKey(char letter, String value, int spare) {
        int n = value.length();
        if (n > TAG_TEXT_MAX) return null;
        byte[] k = new byte[3 + n + spare];
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c >= 0x80) return null;
            k[3 + i] = (byte) c;
        }
        k[0] = (byte) letter;
        k[1] = TAG_TEXT;
        k[2] = (byte) n;
        return k;
    }

    /** True if equal tag prefixes imply equal values (not a hashed long value). */
    static boolean isExactTagPrefix(byte[] tagPrefix) {
        return tagPrefix[1] != TAG_HASHED;
    }

    /** Tag names that are indexed: a single letter a-z or A-Z (NIP-01). */
    static boolean isIndexedTagName(String name) {
        return name.length() == 1 && isIndexedLetter(name.charAt(0));
    }

    static boolean isIndexedLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** {@code pubkey + kind + d} (d empty for replaceable kinds): one replaceable/addressable address. */
    static byte[] address(byte[] pubkey, int kind, String d) {
        return concat(authorKindPrefix(pubkey, kind), d.getBytes(StandardCharsets.UTF_8));
    }

    static int kindOfAddress(byte[] address) {
        return getShort(address, ID);
    }

    static byte[] idTombstone(byte[] id, byte[] deleter) {
        byte[] k = new byte[1 + ID + ID];
        k[0] = TOMBSTONE_ID;
        System.arraycopy(id, 0, k, 1, ID);
        System.arraycopy(deleter, 0, k, 1 + ID, ID);
        return k;
    }

    static byte[] addressTombstone(byte[] address) {
        return concat(new byte[] {TOMBSTONE_ADDRESS}, address);
    }

    /** NIP-62: a pubkey that asked to vanish; its value is the newest request's created_at. */
    static byte[] vanishTombstone(byte[] pubkey) {
        return concat(new byte[] {TOMBSTONE_VANISH}, pubkey);
    }

    /** {@code expiration (sign-flipped, so negative values sort first) + serial}. */
    static byte[] expiryKey(long expiration, long serial) {
        byte[] k = new byte[16];
        putLong(k, 0, expiration ^ Long.MIN_VALUE);
        putLong(k, 8, serial);
        return k;
    }

    static long expirationOfExpiryKey(byte[] key) {
        return getLong(key, 0) ^ Long.MIN_VALUE;
    }

    static long serialOfExpiryKey(byte[] key) {
        return getLong(key, 8);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] k = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, k, a.length, b.length);
        return k;
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (b[off + i] & 0xff);
        return v;
    }

    /** Kinds are 0..65535 (NIP-01), so two bytes; anything else is a caller bug. */
    static void putShort(byte[] b, int off, int v) {
        if (v < 0 || v > 0xffff) throw new IllegalArgumentException("kind out of range: " + v);
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    static int getShort(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    static byte[] longValue(long v) {
        byte[] b = new byte[8];
        putLong(b, 0, v);
        return b;
    }
}
