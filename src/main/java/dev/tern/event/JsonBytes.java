package dev.tern.event;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A growable byte buffer that writes JSON with NIP-01's string escaping: {@code \n \" \\ \r \t \b \f}
 * as two-character escapes, other characters below 0x20 as backslash-u00XX, everything else (DEL and
 * U+2028/2029 included) verbatim UTF-8. This is how nostr-tools' JSON.stringify computes event ids.
 */
public final class JsonBytes {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private byte[] buf;
    private int len;

    public JsonBytes(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    public int length() { return len; }

    public void reset() { len = 0; }

    public byte[] toByteArray() { return Arrays.copyOf(buf, len); }

    public JsonBytes raw(byte b) {
        ensure(1);
        buf[len++] = b;
        return this;
    }

    public JsonBytes raw(byte[] b) {
        return raw(b, 0, b.length);
    }

    public JsonBytes raw(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
        return this;
    }

    /** ASCII text without escaping (field names, punctuation). */
    public JsonBytes ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) buf[len++] = (byte) s.charAt(i);
        return this;
    }

    public JsonBytes number(long v) {
        return ascii(Long.toString(v));
    }

    /** A quoted lowercase-hex string of {@code bytes}. */
    public JsonBytes hexString(byte[] bytes) {
        ensure(bytes.length * 2 + 2);
        buf[len++] = '"';
        len = Hex.encodeTo(bytes, buf, len);
        buf[len++] = '"';
        return this;
    }

    /**
     * A quoted, NIP-01-escaped string.
     *
     * @throws IllegalArgumentException if {@code s} holds an unpaired surrogate, which has no UTF-8
     *     form and so no id that every client would compute the same way
     */
    public JsonBytes string(String s) {
        byte[] plain = plainUtf8(s);
        if (plain != null) {
            ensure(plain.length + 2);
            buf[len++] = '"';
            System.arraycopy(plain, 0, buf, len, plain.length);
            len += plain.length;
            buf[len++] = '"';
            return this;
        }
        int n = s.length();
        // UTF-8 needs at most 3 bytes per UTF-16 char, and so do the two-character escapes; only the
        // six-byte backslash-u00XX escape reserves more, in its own branch. So the loop below does no bounds work.
        ensure(3 * n + 2);
        buf[len++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                switch (c) {
                    case '"' -> { buf[len++] = '\\'; buf[len++] = '"'; }
                    case '\\' -> { buf[len++] = '\\'; buf[len++] = '\\'; }
                    case '\n' -> { buf[len++] = '\\'; buf[len++] = 'n'; }
                    case '\r' -> { buf[len++] = '\\'; buf[len++] = 'r'; }
                    case '\t' -> { buf[len++] = '\\'; buf[len++] = 't'; }
                    case '\b' -> { buf[len++] = '\\'; buf[len++] = 'b'; }
                    case '\f' -> { buf[len++] = '\\'; buf[len++] = 'f'; }
                    default -> {
                        if (c < 0x20) {
                            ensure(6 + 3 * (n - i));
                            buf[len++] = '\\'; buf[len++] = 'u'; buf[len++] = '0'; buf[len++] = '0';
                            buf[len++] = HEX[c >> 4]; buf[len++] = HEX[c & 0xf];
                        } else {
                            buf[len++] = (byte) c;
                        }
                    }
                }
            } else if (c < 0x800) {
                buf[len++] = (byte) (0xc0 | (c >> 6));
                buf[len++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    throw new IllegalArgumentException("unpaired surrogate in string");
                }
                int cp = Character.toCodePoint(c, s.charAt(++i));
                buf[len++] = (byte) (0xf0 | (cp >> 18));
                buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                buf[len++] = (byte) (0x80 | (cp & 0x3f));
            } else {
                buf[len++] = (byte) (0xe0 | (c >> 12));
                buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                buf[len++] = (byte) (0x80 | (c & 0x3f));
            }
        }
        buf[len++] = '"';
        return this;
    }

    /**
     * The UTF-8 of {@code s} if it needs no escaping (most tag values and many contents), or null. The JDK's
     * vectorized encoder does the work; a '?' sends the string to the careful path because the JDK encodes an
     * unpaired surrogate as '?', which must be rejected instead.
     */
    private static byte[] plainUtf8(String s) {
        byte[] u = s.getBytes(StandardCharsets.UTF_8);
        for (byte b : u) {
            if ((b >= 0 && b < 0x20) || b == '"' || b == '\\' || b == '?') return null;
        }
        return u;
    }

    /** A JSON array of arrays of strings (event tags). */
    public JsonBytes tags(List<List<String>> tags) {
        raw((byte) '[');
        for (int i = 0; i < tags.size(); i++) {
            if (i > 0) raw((byte) ',');
            raw((byte) '[');
            List<String> tag = tags.get(i);
            for (int j = 0; j < tag.size(); j++) {
                if (j > 0) raw((byte) ',');
                string(tag.get(j));
            }
            raw((byte) ']');
        }
        return raw((byte) ']');
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
    }
}
