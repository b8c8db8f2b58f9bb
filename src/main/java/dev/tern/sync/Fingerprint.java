package dev.tern.sync;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * NIP-77 fingerprint of a set of ids: the first 16 bytes of SHA-256 over (the sum of the ids as 256-bit
 * little-endian integers, mod 2^256, as 32 little-endian bytes || varint(count)). The sum is order-free, so a
 * range may be added up in any order, and the sum of a range is the difference of two larger ones.
 */
final class Fingerprint {
    static final int SIZE = 16;
    private final long[] limbs = new long[4]; // little-endian 64-bit limbs of the sum
    private long count;

    Fingerprint() {}

    Fingerprint(Fingerprint of) {
        System.arraycopy(of.limbs, 0, limbs, 0, 4);
        count = of.count;
    }

    void add(byte[] id) {
        add(id, 0);
    }

    /** Adds the 32-byte id at {@code offset} of {@code ids}. */
    void add(byte[] ids, int offset) {
        long carry = 0;
        for (int i = 0; i < 4; i++) {
            long v = littleEndianLong(ids, offset + i * 8);
            long s = limbs[i] + v;
            long c1 = Long.compareUnsigned(s, limbs[i]) < 0 ? 1 : 0;
            long s2 = s + carry;
            long c2 = Long.compareUnsigned(s2, s) < 0 ? 1 : 0;
            limbs[i] = s2;
            carry = c1 | c2;
        }
        count++;
    }

    void add(Fingerprint other) {
        long carry = 0;
        for (int i = 0; i < 4; i++) {
            long s = limbs[i] + other.limbs[i];
            long c1 = Long.compareUnsigned(s, limbs[i]) < 0 ? 1 : 0;
            long s2 = s + carry;
            long c2 = Long.compareUnsigned(s2, s) < 0 ? 1 : 0;
            limbs[i] = s2;
            carry = c1 | c2;
        }
        count += other.count;
    }

    /** Removes a subset's ids (mod 2^256, as the sum wraps). */
    void subtract(Fingerprint subset) {
        long borrow = 0;
        for (int i = 0; i < 4; i++) {
            long d = limbs[i] - subset.limbs[i];
            long b1 = Long.compareUnsigned(limbs[i], subset.limbs[i]) < 0 ? 1 : 0;
            long d2 = d - borrow;
            long b2 = Long.compareUnsigned(d, borrow) < 0 ? 1 : 0;
            limbs[i] = d2;
            borrow = b1 | b2;
        }
        count -= subset.count;
    }

    long count() {
        return count;
    }

    byte[] digest() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(42);
        for (long limb : limbs) {
            for (int b = 0; b < 8; b++) buf.write((int) (limb >>> (8 * b)));
        }
        Varint.write(buf, count);
        try {
            return Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(buf.toByteArray()), SIZE);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static long littleEndianLong(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) v = (v << 8) | (b[off + i] & 0xff);
        return v;
    }
}
