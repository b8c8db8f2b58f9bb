package dev.tern.event;

/** Lowercase hex, the only form NIP-01 allows for ids, pubkeys and signatures. */
public final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();
    private static final byte[] DIGIT_BYTES = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private Hex() {}

    public static String encode(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = DIGITS[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = DIGITS[bytes[i] & 0xf];
        }
        return new String(out);
    }

    /** Writes the lowercase hex of {@code bytes} into {@code out} at {@code pos}; returns the new position. */
    public static int encodeTo(byte[] bytes, byte[] out, int pos) {
        for (byte b : bytes) {
            out[pos++] = DIGIT_BYTES[(b >> 4) & 0xf];
            out[pos++] = DIGIT_BYTES[b & 0xf];
        }
        return pos;
    }

    /** Decodes lowercase hex of exactly {@code 2 * byteLength} characters, or returns null. */
    public static byte[] decodeLower(CharSequence s, int byteLength) {
        if (s.length() != byteLength * 2) return null;
        byte[] out = new byte[byteLength];
        return decodeLowerInto(s, out, 0, byteLength) ? out : null;
    }

    /**
     * Decodes {@code s}, lowercase hex of exactly {@code 2 * len} characters, into {@code out[off..off+len)}
     * in one pass; returns false (with {@code out} partly written) if it is not.
     */
    public static boolean decodeLowerInto(CharSequence s, byte[] out, int off, int len) {
        if (s.length() != len * 2) return false;
        for (int i = 0; i < len; i++) {
            int hi = lowerNibble(s.charAt(2 * i));
            int lo = lowerNibble(s.charAt(2 * i + 1));
            if ((hi | lo) < 0) return false;
            out[off + i] = (byte) ((hi << 4) | lo);
        }
        return true;
    }

    /** Decodes hex of any case and any even length; throws IllegalArgumentException otherwise. */
    public static byte[] decode(CharSequence s) {
        if (s.length() % 2 != 0) throw new IllegalArgumentException("odd-length hex");
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(s.charAt(2 * i), 16);
            int lo = Character.digit(s.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) throw new IllegalArgumentException("not hex: " + s);
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    /** True if {@code s} is lowercase hex of exactly {@code chars} characters. */
    public static boolean isLowerHex(CharSequence s, int chars) {
        if (s.length() != chars) return false;
        for (int i = 0; i < chars; i++) if (lowerNibble(s.charAt(i)) < 0) return false;
        return true;
    }

    private static int lowerNibble(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    }
}
