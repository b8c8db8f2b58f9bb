package dev.tern.event;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * NIP-19 bech32 entities: bare {@code npub}, {@code nsec}, {@code note}, and the TLV forms
 * {@code nprofile}, {@code nevent}, {@code naddr}. Errors are IllegalArgumentExceptions whose message
 * says what is wrong (checksum, prefix, length, TLV content).
 */
public final class Nip19 {
    private static final int SPECIAL = 0, RELAY = 1, AUTHOR = 2, KIND = 3;

    private Nip19() {}

    /** An {@code nprofile}: a public key and relays where it is likely found. */
    public record Profile(byte[] pubkey, List<String> relays) {}

    /** An {@code nevent}: an event id, relays, and optionally the author and kind (null when absent). */
    public record EventPointer(byte[] id, List<String> relays, byte[] author, Integer kind) {}

    /** An {@code naddr}: the coordinate {@code kind:author:identifier} of an addressable or replaceable event. */
    public record Address(String identifier, byte[] author, int kind, List<String> relays) {}

    public static String encodeNpub(byte[] pubkey) { return Bech32.encode("npub", check32(pubkey, "public key")); }

    public static String encodeNsec(byte[] secretKey) { return Bech32.encode("nsec", check32(secretKey, "secret key")); }

    public static String encodeNote(byte[] eventId) { return Bech32.encode("note", check32(eventId, "event id")); }

    public static byte[] decodeNpub(String s) { return bare(s, "npub"); }

    public static byte[] decodeNsec(String s) { return bare(s, "nsec"); }

    public static byte[] decodeNote(String s) { return bare(s, "note"); }

    /** A public key given as {@code npub1...} or as 64 hex characters (either case), as admins are configured. */
    public static byte[] publicKeyFromNpubOrHex(String s) {
        String t = s.strip();
        if (t.regionMatches(true, 0, "npub1", 0, 5)) return decodeNpub(t);
        if (t.length() == 64) {
            try {
                return Hex.decode(t);
            } catch (IllegalArgumentException e) {
                // fall through to the general message
            }
        }
        throw new IllegalArgumentException("expected a public key as npub1... or 64 hex characters, got '" + abbreviate(t) + "'");
    }

    public static Profile decodeNprofile(String s) {
        Tlv tlv = tlv(s, "nprofile");
        return new Profile(tlv.required32(SPECIAL, "public key"), List.copyOf(tlv.relays));
    }

    public static EventPointer decodeNevent(String s) {
        Tlv tlv = tlv(s, "nevent");
        return new EventPointer(tlv.required32(SPECIAL, "event id"), List.copyOf(tlv.relays), tlv.optional32(AUTHOR, "author"), tlv.kind());
    }

    public static Address decodeNaddr(String s) {
        Tlv tlv = tlv(s, "naddr");
        byte[] special = tlv.first[SPECIAL];
        if (special == null) throw new IllegalArgumentException("naddr lacks its identifier (TLV type 0)");
        Integer kind = tlv.kind();
        if (kind == null) throw new IllegalArgumentException("naddr lacks its kind (TLV type 3)");
        return new Address(new String(special, StandardCharsets.UTF_8), tlv.required32(AUTHOR, "author"), kind, List.copyOf(tlv.relays));
    }

    private static byte[] bare(String s, String prefix) {
        byte[] data = decode(s, prefix);
        if (data.length != 32) throw new IllegalArgumentException(prefix + " must hold 32 bytes, got " + data.length);
        return data;
    }

    private static byte[] decode(String s, String prefix) {
        Bech32.Decoded d = Bech32.decode(s);
        if (!d.hrp().equals(prefix)) throw new IllegalArgumentException("expected prefix '" + prefix + "', got '" + d.hrp() + "'");
        return d.data();
    }

    /** The TLV items of one entity: the first value of each known type, and every relay. Unknown types are ignored (NIP-19). */
    private static final class Tlv {
        final String prefix;
        final byte[][] first = new byte[4][];
        final List<String> relays = new ArrayList<>();

        Tlv(String prefix) { this.prefix = prefix; }

        byte[] required32(int type, String what) {
            byte[] v = optional32(type, what);
            if (v == null) throw new IllegalArgumentException(prefix + " lacks its " + what + " (TLV type " + type + ")");
            return v;
        }

        byte[] optional32(int type, String what) {
            byte[] v = first[type];
            if (v != null && v.length != 32) throw new IllegalArgumentException(prefix + " " + what + " must be 32 bytes, got " + v.length);
            return v;
        }

        /** The kind: a 32-bit big-endian unsigned integer in the TLV, limited to NIP-01's 0..65535. */
        Integer kind() {
            byte[] v = first[KIND];
            if (v == null) return null;
            if (v.length != 4) throw new IllegalArgumentException(prefix + " kind must be 4 bytes, got " + v.length);
            long k = ((v[0] & 0xffL) << 24) | ((v[1] & 0xff) << 16) | ((v[2] & 0xff) << 8) | (v[3] & 0xff);
            if (k > 65535) throw new IllegalArgumentException(prefix + " kind " + k + " is outside 0..65535");
            return (int) k;
        }
    }

    private static Tlv tlv(String s, String prefix) {
        byte[] data = decode(s, prefix);
        Tlv tlv = new Tlv(prefix);
        int i = 0;
        while (i < data.length) {
            if (i + 2 > data.length) throw new IllegalArgumentException(prefix + " has a truncated TLV item");
            int type = data[i] & 0xff, len = data[i + 1] & 0xff;
            if (i + 2 + len > data.length) throw new IllegalArgumentException(prefix + " has a truncated TLV item");
            byte[] value = Arrays.copyOfRange(data, i + 2, i + 2 + len);
            if (type == RELAY) tlv.relays.add(new String(value, StandardCharsets.UTF_8));
            else if (type < tlv.first.length && tlv.first[type] == null) tlv.first[type] = value;
            i += 2 + len;
        }
        return tlv;
    }

    private static byte[] check32(byte[] b, String what) {
        if (b.length != 32) throw new IllegalArgumentException(what + " must be 32 bytes, got " + b.length);
        return b;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
