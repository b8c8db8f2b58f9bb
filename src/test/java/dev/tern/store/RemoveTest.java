package dev.tern.store;

import static dev.tern.store.TestEvents.ALICE;
import static dev.tern.store.TestEvents.authors;
import static dev.tern.store.TestEvents.config;
import static dev.tern.store.TestEvents.ids;
import static dev.tern.store.TestEvents.note;
import static dev.tern.store.TestEvents.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Event;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EventStore.remove: an operator's removal (NIP-86 banevent) takes the event and its index keys, and leaves no tombstone. */
class RemoveTest {
    @TempDir
    Path dir;

    @Test
    void removesTheEventEverywhereAndAllowsItBack() {
        try (EventStore store = EventStore.open(config(dir))) {
            Event a = note(ALICE, 100, "a"), b = note(ALICE, 200, "b");
            store.write(List.of(a, b), null, 1000);
            assertTrue(store.remove(a.id()));
            assertFalse(store.remove(a.id()));
            assertTrue(store.get(a.id()).isEmpty());
            assertEquals(List.of(b.idHex()), query(store, authors(ALICE)));
            assertEquals(List.of(), query(store, ids(a)));
            assertEquals(1, store.stats().events());
            assertEquals(List.of(WriteOutcome.STORED), store.write(List.of(a), null, 1000));
        }
    }
}
