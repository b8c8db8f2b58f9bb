package dev.tern.event;

import fr.acinq.secp256k1.Secp256k1;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;

/**
 * BIP-340 Schnorr signatures over secp256k1, through libsecp256k1 (fr.acinq.secp256k1).
 *
 * <p>Verification calls the C library itself through the Java FFM API: the native library secp256k1-kmp loads exports
 * libsecp256k1's C functions beside its JNI ones, and calling them directly lets a parsed public key be kept
 * ({@link ParsedKeys}, sized by {@link #cachePublicKeys}) where the JNI binding parses it on every call. Signing
 * and key derivation go through secp256k1-kmp, which also finds and loads the library.
 *
 * <p>Messages must be exactly 32 bytes. BIP-340 allows any length, but secp256k1-kmp 0.23.0 checks
 * for 32 bytes both in its Kotlin wrapper and in its JNI layer, so other lengths cannot reach the C
 * library. Nostr only ever signs 32-byte event ids (NIP-01), so: {@link #verify} answers false and
 * {@link #sign} throws IllegalArgumentException for any other length.
 */
public final class Schnorr {
    /** The only message length the underlying library accepts. */
    public static final int MESSAGE_LENGTH = 32;

    private static final Secp256k1 SECP = Secp256k1.Companion.get(); // loads the native library, for the lookup below

    private static final int SECP256K1_CONTEXT_NONE = 1;
    private static final MethodHandle XONLY_PUBKEY_PARSE;
    private static final MethodHandle SCHNORRSIG_VERIFY;
    /** Verification only reads a context, so one serves every thread; it lives as long as the process. */
    private static final MemorySegment CONTEXT;

    static {
        Linker linker = Linker.nativeLinker();
        SymbolLookup library = SymbolLookup.loaderLookup();
        ValueLayout pointer = ValueLayout.ADDRESS;
        MethodHandle create = linker.downcallHandle(symbol(library, "secp256k1_context_create"),
                FunctionDescriptor.of(pointer, ValueLayout.JAVA_INT));
        XONLY_PUBKEY_PARSE = linker.downcallHandle(symbol(library, "secp256k1_xonly_pubkey_parse"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, pointer, pointer, pointer));
        SCHNORRSIG_VERIFY = linker.downcallHandle(symbol(library, "secp256k1_schnorrsig_verify"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, pointer, pointer, pointer, ValueLayout.JAVA_LONG, pointer));
        try {
            CONTEXT = (MemorySegment) create.invokeExact(SECP256K1_CONTEXT_NONE);
        } catch (Throwable e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static MemorySegment symbol(SymbolLookup library, String name) {
        return library.find(name).orElseThrow(() -> new IllegalStateException(name + " not found in the loaded libsecp256k1"));
    }

    /** One thread's native copies of a call's arguments, freed with the thread. */
    private record Scratch(MemorySegment sig, MemorySegment msg, MemorySegment key, MemorySegment parsed) {
        static Scratch allocate() {
            Arena arena = Arena.ofAuto();
            return new Scratch(arena.allocate(64), arena.allocate(MESSAGE_LENGTH), arena.allocate(ParsedKeys.KEY_BYTES),
                    arena.allocate(ParsedKeys.PARSED_BYTES));
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::allocate);

    /** Until a command sizes it from its memory budget: enough for tests and tools. */
    private static volatile ParsedKeys parsedKeys = new ParsedKeys(64 * 1024);

    private Schnorr() {}

    /** Replaces the cache of parsed public keys with one of at most {@code megabytes}; called once as a command starts. */
    public static void cachePublicKeys(int megabytes) {
        parsedKeys = new ParsedKeys(megabytes * 1024L * 1024);
    }

    /** True if {@code sig} (64 bytes) is a valid BIP-340 signature of the 32-byte {@code msg} by x-only {@code pubkey}. */
    public static boolean verify(byte[] sig, byte[] msg, byte[] pubkey) {
        if (sig.length != 64 || pubkey.length != ParsedKeys.KEY_BYTES || msg.length != MESSAGE_LENGTH) return false;
        Scratch s = SCRATCH.get();
        MemorySegment.copy(pubkey, 0, s.key, ValueLayout.JAVA_BYTE, 0, pubkey.length);
        ParsedKeys keys = parsedKeys;
        try {
            if (!keys.get(s.key, s.parsed)) {
                // 0: not the x coordinate of a curve point (BIP-340's lift_x fails), so no signature by it is valid
                if ((int) XONLY_PUBKEY_PARSE.invokeExact(CONTEXT, s.parsed, s.key) != 1) return false;
                keys.put(s.key, s.parsed);
            }
            MemorySegment.copy(sig, 0, s.sig, ValueLayout.JAVA_BYTE, 0, sig.length);
            MemorySegment.copy(msg, 0, s.msg, ValueLayout.JAVA_BYTE, 0, msg.length);
            return (int) SCHNORRSIG_VERIFY.invokeExact(CONTEXT, s.sig, s.msg, (long) msg.length, s.parsed) == 1;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) { // declared by invokeExact; the C functions report by their result and throw nothing
            throw new IllegalStateException("libsecp256k1 call failed", e);
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
