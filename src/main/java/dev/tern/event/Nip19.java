package dev.tern.event;

/**
 * NIP-19 {@code npub} decoding, as owners and admins are configured. Errors are IllegalArgumentExceptions
 * whose message says what is wrong (checksum, prefix, length).
 */
public final class Nip19 {
    private Nip19() {}

    /** The 32-byte public key of an {@code npub1...} string. */
    public static byte[] decodeNpub(String s) {
        Bech32.Decoded d = Bech32.decode(s);
        if (!d.hrp().equals("npub")) throw new IllegalArgumentException("expected prefix 'npub', got '" + d.hrp() + "'");
        if (d.data().length != 32) throw new IllegalArgumentException("npub must hold 32 bytes, got " + d.data().length);
        return d.data();
    }

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

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
