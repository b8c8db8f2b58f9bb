package dev.tern.store;

import static dev.tern.store.TestEvents.ALICE;
import static dev.tern.store.TestEvents.config;
import static dev.tern.store.TestEvents.event;
import static dev.tern.store.TestEvents.note;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Event;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EventStore.storedPerMemory: true only for an event that is stored now, as a just-written one is (memtable). */
class StoredPerMemoryTest {
    @TempDir
    Path dir;

    @Test
    void knowsStoredEventsAndForgetsRemovedOnes() {
        try (EventStore store = EventStore.open(config(dir))) {
            Event a = note(ALICE, 100, "a"), never = note(ALICE, 150, "never stored");
            Event profile = event(ALICE, 100, 0, List.of(), "{}"), newer = event(ALICE, 200, 0, List.of(), "{\"name\":\"a\"}");
            store.write(List.of(a, profile), null, 1000);
            assertTrue(store.storedPerMemory(a.id()));
            assertTrue(store.storedPerMemory(profile.id()));
            assertFalse(store.storedPerMemory(never.id()));

            store.write(List.of(newer), null, 1000); // replaces the profile (NIP-01 replaceable)
            assertFalse(store.storedPerMemory(profile.id()), "a replaced version is gone");
            assertTrue(store.storedPerMemory(newer.id()));

            assertTrue(store.remove(a.id()));
            assertFalse(store.storedPerMemory(a.id()), "a removed event is gone");
        }
    }
}
