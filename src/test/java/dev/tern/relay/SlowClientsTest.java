package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SlowClientsTest {
    private static final long MB = 1024 * 1024;

    @Test
    void slowClientsFitInHalfTheDirectMemoryAtOneAndAHalfBuffersEach() {
        assertEquals(16, SlowClients.fitting(48 * MB, (int) MB)); // the 512 MB budget's direct memory
        assertEquals(1, SlowClients.fitting(MB, (int) MB));       // never fewer than one
    }

    @Test
    void aPlaceFreedByALeavingClientIsTakenAgain() {
        SlowClients slow = new SlowClients(2);
        assertTrue(slow.enter());
        assertTrue(slow.enter());
        assertFalse(slow.enter());
        slow.leave();
        assertTrue(slow.enter());
    }
}
