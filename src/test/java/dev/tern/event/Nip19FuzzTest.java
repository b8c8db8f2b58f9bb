package dev.tern.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;

/**
 * Fuzz target: a public key given as npub or hex either decodes to 32 bytes that read back the same as hex,
 * or is refused with an IllegalArgumentException, nothing else.
 */
class Nip19FuzzTest {
    @FuzzTest(maxDuration = "30s")
    void decode(@NotNull String s) {
        byte[] key;
        try {
            key = Nip19.publicKeyFromNpubOrHex(s);
        } catch (IllegalArgumentException refused) {
            return; // the one documented way to refuse
        }
        assertEquals(32, key.length);
        assertArrayEquals(key, Nip19.publicKeyFromNpubOrHex(Hex.encode(key)));
    }
}
