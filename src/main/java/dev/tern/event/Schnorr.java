package dev.tern.event;

import fr.acinq.secp256k1.Secp256k1;
import java.util.Arrays;

/**
 * BIP-340 Schnorr signatures over secp256k1, through libsecp256k1 (fr.acinq.secp256k1).
 *
 * <p>Messages must be exactly 32 bytes. BIP-340 allows any length, but secp256k1-kmp 0.23.0 checks
 * for 32 bytes both in its Kotlin wrapper and in its JNI layer, so other lengths cannot reach the C
 * library. Nostr only ever signs 32-byte event ids (NIP-01), so: {@link #verify} answers false and
 * {@link #sign} throws IllegalArgumentException for any other length.
 */
public final class Schnorr {
    /** The only message length the underlying library accepts. */
    public static final int MESSAGE_LENGTH = 32;

    private static final Secp256k1 SECP = Secp256k1.Companion.get();

    private Schnorr() {}

    /** True if {@code sig} (64 bytes) is a valid BIP-340 signature of the 32-byte {@code msg} by x-only {@code pubkey}. */
    public static boolean verify(byte[] sig, byte[] msg, byte[] pubkey) {
        if (sig.length != 64 || pubkey.length != 32 || msg.length != MESSAGE_LENGTH) return false;
        try {
            return SECP.verifySchnorr(sig, msg, pubkey);
        } catch (RuntimeException e) { // public key not on the curve (BIP-340 "lift_x" fails) and the like
            return false;
        }
    }

    /**
     * Signs the 32-byte {@code msg} with {@code secretKey}; {@code auxRand} is 32 bytes of fresh randomness or null.
     *
     * @throws IllegalArgumentException if {@code msg} is not 32 bytes
     */
    public static byte[] sign(byte[] msg, byte[] secretKey, byte[] auxRand) {
        if (msg.length != MESSAGE_LENGTH) {
            throw new IllegalArgumentException("Schnorr messages must be 32 bytes, got " + msg.length);
        }
        return SECP.signSchnorr(msg, secretKey, auxRand);
    }

    public static boolean isValidSecretKey(byte[] secretKey) {
        try {
            return secretKey.length == 32 && SECP.secKeyVerify(secretKey);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The 32-byte x coordinate of the public key of {@code secretKey}. */
    public static byte[] xOnlyPublicKey(byte[] secretKey) {
        byte[] uncompressed = SECP.pubkeyCreate(secretKey); // 0x04 || x || y
        return Arrays.copyOfRange(uncompressed, 1, 33);
    }
}
