package dev.tern.store;

import static dev.tern.store.TestEvents.ALICE;
import static dev.tern.store.TestEvents.config;
import static dev.tern.store.TestEvents.event;
import static dev.tern.store.TestEvents.note;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Event;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * EventStore.isDuplicatePerMemory: true only where the writer would answer DUPLICATE, for an event stored now
 * (a just-written one is in the memtable).
 */
class DuplicatePerMemoryTest {
    private static final long NOW = 1000;

    @TempDir
    Path dir;

    @Test
    void knowsStoredEventsAndForgetsRemovedOnes() {
        try (EventStore store = EventStore.open(config(dir))) {
            Event a = note(ALICE, 100, "a"), never = note(ALICE, 150, "never stored");
            Event profile = event(ALICE, 100, 0, List.of(), "{}"), newer = event(ALICE, 200, 0, List.of(), "{\"name\":\"a\"}");
            store.write(List.of(a, profile), null, NOW);
            assertTrue(store.isDuplicatePerMemory(a, NOW));
            assertTrue(store.isDuplicatePerMemory(profile, NOW));
            assertFalse(store.isDuplicatePerMemory(never, NOW));

            store.write(List.of(newer), null, NOW); // replaces the profile (NIP-01 replaceable)
            assertFalse(store.isDuplicatePerMemory(profile, NOW), "a replaced version is gone");
            assertTrue(store.isDuplicatePerMemory(newer, NOW));

            assertTrue(store.remove(a.id()));
            assertFalse(store.isDuplicatePerMemory(a, NOW), "a removed event is gone");
        }
    }

    /**
     * A store imported (compacted past L0, as `tern import` leaves it; enough events for several index partitions)
     * and opened again: the ids' index partitions are not cached yet, and RocksDB's KeyMayExist then says "may exist" with an empty value found
     * (facebook/rocksdb#12921), which is no serial. Before, every event not stored was answered "duplicate:" and
     * dropped until those blocks were read (strfry sync uploading to a freshly started relay).
     */
    @Test
    void aColdCacheIsNoDuplicate() {
        List<Event> stored = IntStream.range(0, 20_000).mapToObj(i -> note(ALICE, 100 + i, "stored " + i)).toList();
        Event never = note(ALICE, 50, "never stored");
        try (EventStore store = EventStore.open(config(dir).withBulkLoad(true))) {
            store.write(stored, null, NOW);
            store.finishBulkLoad();
        }
        try (EventStore store = EventStore.open(config(dir))) {
            assertFalse(store.isDuplicatePerMemory(never, NOW));
            assertEquals(List.of(WriteOutcome.STORED), store.write(List.of(never), null, NOW));
        }
    }

    /** NIP-40: the writer answers EXPIRED before it looks for a duplicate, even while the record awaits the sweep. */
    @Test
    void anExpiredEventIsNotADuplicate() {
        try (EventStore store = EventStore.open(config(dir))) {
            Event brief = event(ALICE, 100, 1, List.of(List.of("expiration", Long.toString(NOW + 5))), "brief");
            store.write(List.of(brief), null, NOW);
            assertTrue(store.isDuplicatePerMemory(brief, NOW + 4));
            assertFalse(store.isDuplicatePerMemory(brief, NOW + 5), "expired, though still stored");
            assertEquals(List.of(WriteOutcome.EXPIRED), store.write(List.of(brief), null, NOW + 5));
        }
    }
}
