package dev.tern.store;

import static dev.tern.store.TestEvents.ALICE;
import static dev.tern.store.TestEvents.BOB;
import static dev.tern.store.TestEvents.NOW;
import static dev.tern.store.TestEvents.event;
import static dev.tern.store.TestEvents.note;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Event;
import dev.tern.filter.Filter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.TableProperties;

class StoreLifecycleTest {
    @TempDir
    Path dir;

    private static List<Event> sample() {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            events.add(event(i % 3 == 0 ? BOB : ALICE, 100 + i % 7, i % 4 == 0 ? 7 : 1,
                    List.of(List.of("t", "tag" + i % 3), List.of("p", BOB.publicKeyHex())), "event " + i));
        }
        events.add(event(ALICE, 100, 0, List.of(), "profile"));
        events.add(event(ALICE, 100, 30023, List.of(List.of("d", "a")), "article"));
        return events;
    }

    @Test
    void reopenKeepsEventsIndexesCountersAndMeta() {
        List<Event> events = sample();
        List<String> before;
        StoreStats statsBefore;
        try (EventStore store = EventStore.open(TestEvents.config(dir))) {
            store.write(events, o -> new Checkpoint("import/offset", "42".getBytes(StandardCharsets.UTF_8)), NOW);
            before = TestEvents.query(store, TestEvents.filter().withLimit(100));
            statsBefore = store.stats();
        }
        try (EventStore store = EventStore.open(TestEvents.config(dir))) {
            assertEquals(before, TestEvents.query(store, TestEvents.filter().withLimit(100)));
            assertEquals(statsBefore.events(), store.stats().events());
            assertEquals(statsBefore.eventsByKind(), store.stats().eventsByKind());
            assertEquals("42", new String(store.meta("import/offset").orElseThrow(), StandardCharsets.UTF_8));
            // serials continue after the stored ones: a new event does not overwrite an old one
            Event fresh = note(BOB, 500, "after reopen");
            store.write(List.of(fresh), null, NOW);
            assertEquals(events.size() + 1, TestEvents.query(store, TestEvents.filter().withLimit(100)).size());
            assertEquals(List.of(WriteOutcome.DUPLICATE), store.write(List.of(events.get(0)), null, NOW));
        }
    }

    @Test
    void aFailingBatchLeavesNothingBehind() {
        try (EventStore store = EventStore.open(TestEvents.config(dir))) {
            Event first = note(ALICE, 100, "first");
            store.write(List.of(first), null, NOW);
            Event good = note(ALICE, 200, "good");
            Event replacing = event(ALICE, 200, 0, List.of(), "profile");
            Event deletion = event(ALICE, 300, 5, List.of(List.of("e", first.idHex())), "");
            Event bad = note(ALICE, 200, "bad");
            // kinds are 0..65535 (NIP-01); the writer throws while encoding its keys, after queuing the others
            Event broken = new Event(bad.id(), bad.pubkey(), bad.sig(), bad.createdAt(), 70000, bad.tags(), bad.content(), bad.json());
            assertThrows(IllegalArgumentException.class,
                    () -> store.write(List.of(good, replacing, deletion, broken), o -> new Checkpoint("cp", new byte[] {1}), NOW));
            assertEquals(List.of(first.idHex()), TestEvents.query(store, TestEvents.filter()));
            assertEquals(1, store.stats().events());
            assertEquals(Map.of(1, 1L), store.stats().eventsByKind());
            assertTrue(store.meta("cp").isEmpty());
            assertEquals(List.of(WriteOutcome.STORED, WriteOutcome.STORED, WriteOutcome.STORED),
                    store.write(List.of(good, replacing, deletion), null, NOW));
            assertEquals(3, store.stats().events());
        }
    }

    @Test
    void eventJsonMustBeTheWireForm() {
        try (EventStore store = EventStore.open(TestEvents.config(dir))) {
            Event e = note(ALICE, 100, "x");
            Event other = note(ALICE, 101, "y");
            Event mismatched = new Event(e.id(), e.pubkey(), e.sig(), e.createdAt(), e.kind(), e.tags(), e.content(), other.json());
            assertThrows(IllegalArgumentException.class, () -> store.write(List.of(mismatched), null, NOW));
        }
    }

    @Test
    void bulkLoadKeepsCheckpointWithItsEventsAndFinishesIntoNormalMode() {
        List<Event> events = sample();
        try (EventStore store = EventStore.open(TestEvents.config(dir).withBulkLoad(true))) {
            store.write(events.subList(0, 10), o -> new Checkpoint("import", new byte[] {10}), NOW);
            store.write(events.subList(10, events.size()), o -> new Checkpoint("import", new byte[] {32}), NOW);
        }
        try (EventStore store = EventStore.open(TestEvents.config(dir).withBulkLoad(true))) {
            assertArrayEquals(new byte[] {32}, store.meta("import").orElseThrow());
            assertEquals(events.size(), store.stats().events());
            store.finishBulkLoad();
            assertEquals(events.size(), TestEvents.query(store, TestEvents.filter().withLimit(100)).size());
            store.write(List.of(note(BOB, 900, "normal mode")), null, NOW);
        }
        try (EventStore store = EventStore.open(TestEvents.config(dir))) {
            assertEquals(events.size() + 1, store.stats().events());
        }
    }

    /**
     * An upload into a serving store defers the write-only families' compactions: writes, reads and what a
     * reopen finds stay as without it, whether the upload ends (compacting) or the store closes first.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void anUploadsDeferredCompactionsChangeNothingStored(boolean ended) throws RocksDBException {
        List<Event> events = sample();
        Event deletion = event(BOB, 900, 5, List.of(List.of("e", events.get(0).idHex())), "");
        List<String> expected;
        try (EventStore store = EventStore.open(TestEvents.config(dir.resolve("plain")))) {
            store.write(events, null, NOW);
            store.write(List.of(deletion), null, NOW);
            expected = TestEvents.query(store, TestEvents.filter().withLimit(100));
        }
        try (EventStore store = EventStore.open(TestEvents.config(dir))) {
            assertTrue(store.beginUpload());
            assertFalse(store.beginUpload()); // one upload's deferral at a time
            for (Event e : events) store.write(List.of(e), null, NOW);
            store.write(List.of(deletion), null, NOW);
            assertEquals(expected, TestEvents.query(store, TestEvents.filter().withLimit(100)));
            if (ended) {
                store.endUpload(true);
                assertEquals(expected, TestEvents.query(store, TestEvents.filter().withLimit(100)));
                assertTrue(store.beginUpload()); // ended: the next upload may defer again
                store.endUpload(false);
            }
        }
        // the upload's events reached the last level in its compression, not the flushes' LZ4
        if (ended) assertEquals(Set.of("ZSTD"), tableCompressions(dir, Families.EVENTS));
        try (EventStore store = EventStore.open(TestEvents.config(dir))) {
            assertEquals(expected, TestEvents.query(store, TestEvents.filter().withLimit(100)));
            assertEquals(events.size(), store.stats().events());
            assertThrows(StoreException.class, () -> {
                store.close();
                store.endUpload(true);
            });
        }
        try (EventStore store = EventStore.open(TestEvents.config(dir).withBulkLoad(true))) {
            assertFalse(store.beginUpload()); // a bulk load defers its compactions already
        }
    }

    /** The compressions of a family's table files in the closed store at {@code dir}. */
    private static Set<String> tableCompressions(Path dir, String family) throws RocksDBException {
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (Options options = new Options(); DBOptions dbOptions = new DBOptions()) {
            for (byte[] name : RocksDB.listColumnFamilies(options, dir.toString())) descriptors.add(new ColumnFamilyDescriptor(name));
            try (RocksDB db = RocksDB.openReadOnly(dbOptions, dir.toString(), descriptors, handles)) {
                ColumnFamilyHandle h = handles.get(descriptors.indexOf(descriptors.stream()
                        .filter(d -> new String(d.getName(), StandardCharsets.UTF_8).equals(family)).findFirst().orElseThrow()));
                Set<String> compressions = new java.util.TreeSet<>();
                for (TableProperties t : db.getPropertiesOfAllTables(h).values()) compressions.add(t.getCompressionName());
                return compressions;
            } finally {
                handles.forEach(ColumnFamilyHandle::close);
            }
        }
    }

    /**
     * A bulk load keeps removed events' records and index keys until it ends (see EventWriter); they must
     * be gone whether the load finishes or is stopped and the store reopened normally.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void eventsRemovedDuringABulkLoadAreGoneOnceItEnds(boolean finish) {
        Event note = note(ALICE, 100, "to be deleted");
        Event oldProfile = event(ALICE, 100, 0, List.of(List.of("p", BOB.publicKeyHex())), "old");
        Event newProfile = event(ALICE, 200, 0, List.of(), "new");
        Event deletion = event(ALICE, 300, 5, List.of(List.of("e", note.idHex())), "");
        try (EventStore store = EventStore.open(TestEvents.config(dir).withBulkLoad(true))) {
            store.write(List.of(note, oldProfile), null, NOW);
            store.write(List.of(newProfile, deletion), null, NOW);
            assertEquals(2, store.stats().events());
            assertEquals(List.of(WriteOutcome.SUPERSEDED, WriteOutcome.DELETED_BEFORE), store.write(List.of(oldProfile, note), null, NOW));
            if (finish) store.finishBulkLoad();
        }
        try (EventStore store = EventStore.open(TestEvents.config(dir))) {
            assertEquals(List.of(newProfile.idHex(), deletion.idHex()), TestEvents.ids(store.export(null)));
            assertEquals(List.of(deletion.idHex(), newProfile.idHex()), TestEvents.query(store, TestEvents.filter()));
            assertEquals(List.of(newProfile.idHex()), TestEvents.query(store, TestEvents.kinds(0)));
            assertEquals(List.of(), TestEvents.query(store, TestEvents.tag('p', BOB.publicKeyHex())));
            assertEquals(2, store.stats().events());
            assertEquals(List.of(WriteOutcome.DELETED_BEFORE), store.write(List.of(note), null, NOW));
        }
    }

    @Test
    void exportStreamsEverythingInSerialOrderOrByFilter() {
        List<Event> events = sample();
        try (EventStore store = EventStore.open(TestEvents.config(dir))) {
            store.write(events, null, NOW);
            List<String> all = TestEvents.ids(store.export(null));
            assertEquals(events.stream().map(Event::idHex).toList(), all);
            Filter bob = TestEvents.authors(BOB);
            List<String> expected = events.stream().filter(bob::matches)
                    .sorted(java.util.Comparator.comparingLong(Event::createdAt).reversed()).map(Event::idHex).toList();
            List<String> exported = TestEvents.ids(store.export(bob));
            assertEquals(expected.size(), exported.size());
            assertEquals(java.util.Set.copyOf(expected), java.util.Set.copyOf(exported));
        }
    }

    @Test
    void closeReleasesOpenCursorsAndRefusesFurtherUse() {
        EventStore store = EventStore.open(TestEvents.config(dir));
        store.write(sample(), null, NOW);
        EventCursor open = store.query(List.of(TestEvents.filter()));
        assertTrue(open.hasNext());
        store.close();
        assertFalse(open.hasNext());
        assertThrows(StoreException.class, () -> store.get(new byte[32]));
    }

    @Test
    void metaPutGet() {
        try (EventStore store = EventStore.open(TestEvents.config(dir))) {
            store.putMeta("acl/x", new byte[] {1, 2});
            assertArrayEquals(new byte[] {1, 2}, store.meta("acl/x").orElseThrow());
            assertThrows(IllegalArgumentException.class, () -> store.putMeta("store/count", new byte[8]));
        }
    }

    @Test
    void statsCountKindsAndReportMemory() {
        try (EventStore store = EventStore.open(TestEvents.config(dir))) {
            store.write(sample(), null, NOW);
            StoreStats s = store.stats();
            assertEquals(32, s.events());
            assertEquals(Map.of(0, 1L, 1, 22L, 7, 8L, 30023, 1L), s.eventsByKind());
            assertTrue(s.diskBytes() > 0);
            assertTrue(s.memtableBytes() > 0);
            assertTrue(s.blockCacheUsage() > 0, "memtables are charged to the cache");
            String json = s.toJson();
            assertTrue(json.startsWith("{\"events\":32,\"events_by_kind\":{\"0\":1,\"1\":22,\"7\":8,\"30023\":1}"), json);
            assertTrue(json.contains("\"memory\":{\"block_cache_capacity\":"), json);
        }
    }
}
