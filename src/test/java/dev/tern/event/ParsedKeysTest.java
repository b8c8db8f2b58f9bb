package dev.tern.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ParsedKeysTest {
    private final Arena arena = Arena.ofAuto();

    private MemorySegment filled(int size, int value) {
        MemorySegment s = arena.allocate(size);
        s.fill((byte) value);
        return s;
    }

    @Test
    void aSetKeepsItsTwoNewestKeysAndGivesBackWhatWasPut() {
        ParsedKeys one = new ParsedKeys(1); // a single set of two slots
        MemorySegment out = arena.allocate(ParsedKeys.PARSED_BYTES);
        for (int k = 1; k <= 3; k++) one.put(filled(ParsedKeys.KEY_BYTES, k), filled(ParsedKeys.PARSED_BYTES, 10 + k));
        assertFalse(one.get(filled(ParsedKeys.KEY_BYTES, 1), out), "the oldest was evicted");
        for (int k = 2; k <= 3; k++) {
            assertTrue(one.get(filled(ParsedKeys.KEY_BYTES, k), out));
            assertArrayEquals(filled(ParsedKeys.PARSED_BYTES, 10 + k).toArray(ValueLayout.JAVA_BYTE), out.toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void theZeroKeyMarksAnEmptySlotSoItIsNeverFound() {
        ParsedKeys keys = new ParsedKeys(1 << 16);
        MemorySegment zero = arena.allocate(ParsedKeys.KEY_BYTES);
        keys.put(zero, filled(ParsedKeys.PARSED_BYTES, 7));
        assertFalse(keys.get(zero, arena.allocate(ParsedKeys.PARSED_BYTES)));
    }

    /** More keys than the default cache's 512 slots, in rounds: entries are evicted and refilled between the checks. */
    @Test
    void verifyingUnderManyKeysWithEvictionsKeepsEveryOutcome() {
        Random r = new Random(3);
        int n = 1500;
        KeyPair[] keys = new KeyPair[n];
        byte[][] messages = new byte[n][32];
        byte[][] signatures = new byte[n][];
        for (int i = 0; i < n; i++) {
            keys[i] = KeyPair.generate(r);
            r.nextBytes(messages[i]);
            signatures[i] = Schnorr.sign(messages[i], keys[i].secretKey(), null);
        }
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < n; i++) {
                assertTrue(Schnorr.verify(signatures[i], messages[i], keys[i].publicKey()));
                assertFalse(Schnorr.verify(signatures[i], messages[i], keys[(i + 1 + round) % n].publicKey()));
            }
        }
    }

    @Test
    void itsSizeIsAPowerOfTwoOfSetsWithinTheBytesGiven() {
        assertEquals(192, new ParsedKeys(1).bytes());
        assertEquals(1024 * 192, new ParsedKeys(1024 * 192 + 191).bytes());
        assertEquals(512 * 192, new ParsedKeys(1024 * 192 - 1).bytes());
    }
}
