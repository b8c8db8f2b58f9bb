package dev.tern.event;

import fr.acinq.secp256k1.Secp256k1;
import java.util.Arrays;

/** BIP-340 Schnorr signatures over secp256k1, through libsecp256k1 (fr.acinq.secp256k1). */
public final class Schnorr {
    private static final Secp256k1 SECP = Secp256k1.Companion.get();

    private Schnorr() {}

    /** True if {@code sig} (64 bytes) is a valid BIP-340 signature of {@code msg} by x-only {@code pubkey}. */
    public static boolean verify(byte[] sig, byte[] msg, byte[] pubkey) {
        if (sig.length != 64 || pubkey.length != 32) return false;
        try {
            return SECP.verifySchnorr(sig, msg, pubkey);
        } catch (RuntimeException e) { // invalid public key (not on the curve) and the like
            return false;
        }
    }

    /** Signs {@code msg} with {@code secretKey}; {@code auxRand} is 32 bytes of fresh randomness or null. */
    public static byte[] sign(byte[] msg, byte[] secretKey, byte[] auxRand) {
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
