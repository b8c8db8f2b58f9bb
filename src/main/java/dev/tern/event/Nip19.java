package dev.tern.event;

/**
 * NIP-19 {@code npub} and {@code nsec} decoding, as owners, admins and a sync's key are configured. Errors are IllegalArgumentExceptions
 * whose message says what is wrong (checksum, prefix, length).
 */
public final class Nip19 {
    private Nip19() {}

    /** The 32-byte public key of an {@code npub1...} string. */
    public static byte[] decodeNpub(String s) {
        return bare(s, "npub");
    }

    /** The 32-byte secret key of an {@code nsec1...} string (`tern sync --auth-key`). */
    public static byte[] decodeNsec(String s) {
        return bare(s, "nsec");
    }

    private static byte[] bare(String s, String prefix) {
        Bech32.Decoded d = Bech32.decode(s);
        if (!d.hrp().equals(prefix)) throw new IllegalArgumentException("expected prefix '" + prefix + "', got '" + d.hrp() + "'");
        if (d.data().length != 32) throw new IllegalArgumentException(prefix + " must hold 32 bytes, got " + d.data().length);
        return d.data();
    }

    /** A public key given as {@code npub1...} or as 64 hex characters (either case), as admins are configured. */
    public static byte[] publicKeyFromNpubOrHex(String s) {
        return keyFromBech32OrHex(s, "npub", "a public key", true);
    }

    /** A secret key given as {@code nsec1...} or as 64 hex characters, as a sync's NIP-42 key is configured. */
    public static byte[] secretKeyFromNsecOrHex(String s) {
        return keyFromBech32OrHex(s, "nsec", "a secret key", false);
    }

    /** {@code echo}: the mistake's message may quote the input (never a secret). */
    private static byte[] keyFromBech32OrHex(String s, String prefix, String what, boolean echo) {
        String t = s.strip();
        if (t.regionMatches(true, 0, prefix + "1", 0, prefix.length() + 1)) return bare(t, prefix);
        if (t.length() == 64) {
            try {
                return Hex.decode(t);
            } catch (IllegalArgumentException e) {
                // fall through to the general message
            }
        }
        throw new IllegalArgumentException("expected " + what + " as " + prefix + "1... or 64 hex characters"
                + (echo ? ", got '" + abbreviate(t) + "'" : ""));
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
