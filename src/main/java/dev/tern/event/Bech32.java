package dev.tern.event;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/**
 * Bech32 (BIP-173, not bech32m) decoding of 8-bit payloads, as NIP-19 uses it. Unlike BIP-173, strings may be
 * up to {@link #MAX_LENGTH} characters, since NIP-19's TLV forms outgrow the 90-character limit.
 */
public final class Bech32 {
    /** NIP-19: "Bech32-formatted strings SHOULD be limited in size to 5000 characters." */
    public static final int MAX_LENGTH = 5000;

    private static final String CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static final int[] GENERATOR = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};

    private Bech32() {}

    /** A decoded string: the human-readable part (lowercase) and the 8-bit payload. */
    public record Decoded(String hrp, byte[] data) {}

    /** @throws IllegalArgumentException with a reason if {@code s} is not a valid bech32 string */
    public static Decoded decode(String s) {
        if (s.length() > MAX_LENGTH) throw new IllegalArgumentException("bech32 string longer than " + MAX_LENGTH + " characters");
        String lower = s.toLowerCase(Locale.ROOT);
        if (!lower.equals(s) && !s.toUpperCase(Locale.ROOT).equals(s)) throw new IllegalArgumentException("bech32 string mixes upper and lower case");
        int sep = lower.lastIndexOf('1');
        if (sep < 1) throw new IllegalArgumentException("bech32 string has no prefix before the '1' separator");
        if (lower.length() - sep - 1 < 6) throw new IllegalArgumentException("bech32 string too short for its checksum");
        String hrp = lower.substring(0, sep);
        for (int i = 0; i < hrp.length(); i++) {
            char c = hrp.charAt(i);
            if (c < 33 || c > 126) throw new IllegalArgumentException("bech32 prefix has an invalid character");
        }
        byte[] values = new byte[lower.length() - sep - 1];
        for (int i = 0; i < values.length; i++) {
            int v = CHARSET.indexOf(lower.charAt(sep + 1 + i));
            if (v < 0) throw new IllegalArgumentException("bech32 data has an invalid character '" + lower.charAt(sep + 1 + i) + "'");
            values[i] = (byte) v;
        }
        if (polymod(hrp, values) != 1) throw new IllegalArgumentException("bad bech32 checksum");
        byte[] payload = new byte[values.length - 6];
        System.arraycopy(values, 0, payload, 0, payload.length);
        return new Decoded(hrp, toBytes(payload));
    }

    /** BIP-173's checksum over the expanded prefix followed by {@code values}. */
    private static int polymod(String hrp, byte[] values) {
        int chk = 1;
        for (int i = 0; i < hrp.length(); i++) chk = step(chk, hrp.charAt(i) >> 5);
        chk = step(chk, 0);
        for (int i = 0; i < hrp.length(); i++) chk = step(chk, hrp.charAt(i) & 31);
        for (byte v : values) chk = step(chk, v);
        return chk;
    }

    private static int step(int chk, int value) {
        int top = chk >>> 25;
        chk = ((chk & 0x1ffffff) << 5) ^ value;
        for (int i = 0; i < 5; i++) if (((top >>> i) & 1) != 0) chk ^= GENERATOR[i];
        return chk;
    }

    /** Regroups 5-bit values into bytes; leftover bits must be fewer than 5 and all zero (BIP-173). */
    private static byte[] toBytes(byte[] in) {
        int from = 5, to = 8;
        int acc = 0, bits = 0, max = (1 << to) - 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length * from / to + 1);
        for (byte b : in) {
            acc = (acc << from) | (b & 0xff);
            bits += from;
            while (bits >= to) {
                bits -= to;
                out.write((acc >>> bits) & max);
            }
        }
        if (bits >= from || ((acc << (to - bits)) & max) != 0) {
            throw new IllegalArgumentException("bech32 data has invalid padding");
        }
        return out.toByteArray();
    }
}
