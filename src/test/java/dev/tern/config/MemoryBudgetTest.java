package dev.tern.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MemoryBudgetTest {
    @Test
    void sharesLeaveTheReserveForNativeOverhead() {
        for (int mb : new int[] {192, 256, 512, 4096}) {
            MemoryBudget b = new MemoryBudget(mb);
            assertTrue(b.heapMb() + b.dbCacheMb() <= mb - MemoryBudget.RESERVED_MB, "heap + cache within the usable part at " + mb);
            assertTrue(b.publicKeyCacheMb() <= (mb - MemoryBudget.RESERVED_MB) / 6, "parsed keys within the overhead's sixth at " + mb);
            assertTrue(b.importQueueMb() + b.writerQueueMb() < b.heapMb(), "queues live inside the heap");
        }
    }

    @Test
    void splitsOfTheMeasuredBudgets() {
        MemoryBudget d = new MemoryBudget(512);
        assertEquals(195, d.heapMb());
        assertEquals(130, d.dbCacheMb());
        assertEquals(65, d.dbMemtableMb());
        assertEquals(8, d.publicKeyCacheMb());
        MemoryBudget small = new MemoryBudget(256);
        assertEquals(67, small.heapMb());
        assertEquals(45, small.dbCacheMb());
        assertEquals(8, d.importQueueMb());
        assertEquals(32, d.writerQueueMb());
        assertEquals(4, small.importQueueMb());
    }

    @Test
    void refusesBudgetsTooSmallForTheReserve() {
        assertThrows(IllegalArgumentException.class, () -> new MemoryBudget(128));
    }
}
