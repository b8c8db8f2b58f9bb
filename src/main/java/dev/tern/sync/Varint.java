package dev.tern.sync;

import java.io.ByteArrayOutputStream;

/** NIP-77 varints: base-128 digits, most significant first, the high bit set on every byte but the last. */
final class Varint {
    private Varint() {}

    static void write(ByteArrayOutputStream out, long v) {
        if (v < 0) throw new IllegalArgumentException("varints are unsigned");
        int digits = 1;
        for (long rest = v >>> 7; rest != 0; rest >>>= 7) digits++;
        for (int i = digits - 1; i > 0; i--) out.write((int) ((v >>> (7 * i)) & 0x7f) | 0x80);
        out.write((int) (v & 0x7f));
    }
}
