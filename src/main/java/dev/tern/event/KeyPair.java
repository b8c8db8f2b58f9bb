package dev.tern.event;

import java.security.SecureRandom;
import java.util.Random;

/** A secp256k1 secret key and its BIP-340 x-only public key (the Nostr pubkey). */
public record KeyPair(byte[] secretKey, byte[] publicKey) {
    private static final SecureRandom SECURE = new SecureRandom();

    public static KeyPair fromSecret(byte[] secretKey) {
        return new KeyPair(secretKey.clone(), Schnorr.xOnlyPublicKey(secretKey));
    }

    public static KeyPair generate() {
        return generate(SECURE);
    }

    /** A key from {@code random}; a seeded Random gives the same keys every run (for `tern gen`). */
    public static KeyPair generate(Random random) {
        byte[] sk = new byte[32];
        do {
            random.nextBytes(sk);
        } while (!Schnorr.isValidSecretKey(sk));
        return fromSecret(sk);
    }

    public String publicKeyHex() { return Hex.encode(publicKey); }
}
