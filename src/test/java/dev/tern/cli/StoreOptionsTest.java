package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.config.MemoryBudget;
import dev.tern.store.StoreConfig;
import org.junit.jupiter.api.Test;

class StoreOptionsTest {
    private static final long MB = 1024L * 1024;

    private static StoreOptions parse(String... args) {
        return MixinParser.parse(new StoreOptions(), args);
    }

    @Test
    void servingGivesTheMemtablesHalfTheCache() {
        StoreConfig c = parse().storeConfig(new MemoryBudget(256));
        assertEquals(45 * MB, c.blockCacheBytes());
        assertEquals(22 * MB, c.memtableBytes());
        assertFalse(c.bulkLoad());
    }

    @Test
    void anImportOnASmallBudgetGetsAtLeast32MbOfMemtables() {
        StoreConfig small = parse().bulkLoadConfig(new MemoryBudget(256));
        assertTrue(small.bulkLoad());
        assertEquals(45 * MB, small.blockCacheBytes());
        assertEquals(32 * MB, small.memtableBytes());
        // never more than 3/4 of the cache: 192 MB leaves a 24 MB cache
        assertEquals(18 * MB, parse().bulkLoadConfig(new MemoryBudget(192)).memtableBytes());
        // half the cache when that is more
        StoreConfig standard = parse().bulkLoadConfig(new MemoryBudget(512));
        assertEquals(standard.blockCacheBytes() / 2, standard.memtableBytes());
    }

    @Test
    void explicitSizesWinInEveryMode() {
        StoreOptions o = parse("--db-cache-mb", "100", "--db-memtable-mb", "20");
        for (StoreConfig c : new StoreConfig[] {o.storeConfig(new MemoryBudget(256)), o.bulkLoadConfig(new MemoryBudget(256))}) {
            assertEquals(100 * MB, c.blockCacheBytes());
            assertEquals(20 * MB, c.memtableBytes());
        }
    }
}
