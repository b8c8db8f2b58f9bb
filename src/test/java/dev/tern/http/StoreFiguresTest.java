package dev.tern.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import dev.tern.store.EventStore;
import dev.tern.store.StoreConfig;
import dev.tern.store.TestWrites;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreFiguresTest {
    @TempDir
    Path dir;

    @Test
    void cachedFiguresAreReusedUntilTheStoreChanges() throws Exception {
        try (EventStore store = EventStore.open(StoreConfig.forBudget(dir, 192))) {
            StoreFigures figures = new StoreFigures(store);
            var empty = figures.stats();
            assertEquals(0, empty.events());
            assertSame(empty, figures.stats(), "an unchanged store is not read again within a second");

            KeyPair keys = KeyPair.generate(new Random(1));
            TestWrites.write(store, List.of(Signer.sign(keys, 1_700_000_000L, 1, List.of(), "hello")));
            assertEquals(1, figures.stats().events(), "a committed write shows at once, not after the cache ages");
        }
    }
}
