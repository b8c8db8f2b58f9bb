package dev.tern.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MemoryBudgetTest {
    @Test
    void sharesStayInsideTheBudget() {
        for (int mb : new int[] {128, 256, 512, 4096}) {
            MemoryBudget b = new MemoryBudget(mb);
            assertTrue(b.heapMb() + b.dbCacheMb() < mb, "heap + cache must leave room for native overhead at " + mb);
            assertTrue(b.importQueueMb() < b.heapMb(), "queues live inside the heap");
        }
    }

    @Test
    void defaultSplit() {
        MemoryBudget b = new MemoryBudget(512);
        assertEquals(192, b.heapMb());
        assertEquals(128, b.dbCacheMb());
        assertEquals(64, b.dbMemtableMb());
        assertEquals(32, b.importQueueMb());
    }

    @Test
    void refusesTinyBudgets() {
        assertThrows(IllegalArgumentException.class, () -> new MemoryBudget(64));
    }
}
