package dev.tern.store;

import static dev.tern.store.TestEvents.ALICE;
import static dev.tern.store.TestEvents.NOW;
import static dev.tern.store.TestEvents.authors;
import static dev.tern.store.TestEvents.config;
import static dev.tern.store.TestEvents.event;
import static dev.tern.store.TestEvents.ids;
import static dev.tern.store.TestEvents.note;
import static dev.tern.store.TestEvents.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Event;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

/**
 * While serving, a removed event's keys go at once and its record waits for a purge of many: no query or
 * export finds it meanwhile, the count of waiting records survives a restart, and an operator's removal
 * deletes the record at once.
 */
class PurgeTest {
    @TempDir
    Path dir;

    private static Event profile(long createdAt) {
        return event(ALICE, createdAt, 0, List.of(), "version " + createdAt);
    }

    private static void writeProfiles(EventStore store, int from, int to) {
        for (int i = from; i <= to; i++) store.write(List.of(profile(1000 + i)), null, NOW);
    }

    /** Every key in the events family, read from the closed store's files. */
    private long records() throws Exception {
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        try (Options o = new Options()) {
            for (byte[] name : RocksDB.listColumnFamilies(o, dir.toString())) descriptors.add(new ColumnFamilyDescriptor(name));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions o = new DBOptions(); RocksDB db = RocksDB.openReadOnly(o, dir.toString(), descriptors, handles)) {
            long n = 0;
            for (int i = 0; i < descriptors.size(); i++) {
                if (!new String(descriptors.get(i).getName(), StandardCharsets.UTF_8).equals(Families.EVENTS)) continue;
                try (RocksIterator it = db.newIterator(handles.get(i))) {
                    for (it.seekToFirst(); it.isValid(); it.next()) n++;
                }
            }
            handles.forEach(ColumnFamilyHandle::close);
            return n;
        }
    }

    @Test
    void replacedVersionsWaitForOnePurgeUnseen() throws Exception {
        int half = Reclaimer.MIN_RECORDS / 2;
        try (EventStore store = EventStore.open(config(dir))) {
            writeProfiles(store, 0, half);
            assertFalse(store.reclaimStep(), "not due yet");
            assertEquals(half, store.stats().removedAwaitingPurge());
            List<String> latest = List.of(profile(1000 + half).idHex());
            assertEquals(latest, ids(store.export(null)), "export skips the records waiting for the purge");
            assertEquals(latest, query(store, authors(ALICE)));
        }
        assertEquals(half + 1, records(), "the replaced versions' records are still on disk");

        try (EventStore store = EventStore.open(config(dir))) {
            assertEquals(half, store.stats().removedAwaitingPurge(), "counted again at open");
            writeProfiles(store, half + 1, 2 * half);
            assertEquals(2 * half, store.stats().removedAwaitingPurge(), "writes only mark");
            assertFalse(store.reclaimStep(), "one step purged all " + Reclaimer.MIN_RECORDS);
            assertEquals(0, store.stats().removedAwaitingPurge());
            assertEquals(List.of(profile(1000 + 2 * half).idHex()), ids(store.export(null)));

            Event banned = note(ALICE, 50, "removed by the operator");
            store.write(List.of(banned), null, NOW);
            assertTrue(store.remove(banned.id()));
            assertEquals(0, store.stats().removedAwaitingPurge(), "an operator's removal waits for no purge");
        }
        assertEquals(1, records());
    }

    /** With 40,000 live events the purge waits for 5,000 records, and goes a batch of them per step. */
    @Test
    void aLargePurgeGoesABatchPerStep() throws Exception {
        int live = 40_000, due = live / 8;
        try (EventStore store = EventStore.open(config(dir))) {
            writeNotes(store, live - 1);
            writeProfiles(store, 0, due - 5);
            assertFalse(store.reclaimStep(), "not due yet");
            assertEquals(due - 5, store.stats().removedAwaitingPurge());
            List<Event> crossing = new ArrayList<>();
            for (int i = due - 4; i <= due + 5; i++) crossing.add(profile(1000 + i));
            store.write(crossing, null, NOW);
            assertTrue(store.reclaimStep(), "more remains after one batch");
            assertEquals(due + 5 - Reclaimer.STEP_RECORDS, store.stats().removedAwaitingPurge());
            assertFalse(store.reclaimStep(), "the next step finished it");
            assertEquals(0, store.stats().removedAwaitingPurge());
            assertEquals(live, ids(store.export(null)).size());
        }
        assertEquals(live, records());
    }

    /**
     * The writer runs the purge between requests, after the commit's listeners: the write sequence a listener
     * is told is the commit's own, so live subscribers compare it with their snapshots' without the purge in it.
     */
    @Test
    void theWriterPurgesBetweenRequestsAfterTellingTheCommit() throws Exception {
        try (EventStore store = EventStore.open(config(dir))) {
            writeProfiles(store, 0, Reclaimer.MIN_RECORDS - 1); // 999 replaced: one short of a purge
            try (StoreWriter writer = new StoreWriter(store, StoreWriter.Settings.defaults(1 << 20), () -> NOW)) {
                CompletableFuture<Long> announced = new CompletableFuture<>();
                Event crossing = profile(1000 + Reclaimer.MIN_RECORDS);
                writer.addListener((e, outcome, sequence) -> {
                    if (e == crossing) announced.complete(sequence);
                });
                TestWrites.write(writer, List.of(crossing));
                CompletableFuture<long[]> after = new CompletableFuture<>();
                assertTrue(writer.offerTask(m -> after.complete(new long[] {store.stats().removedAwaitingPurge(), store.writeSequence()})));
                long[] seen = after.get(1, TimeUnit.MINUTES);
                assertEquals(0, seen[0], "purged before the next request ran");
                assertTrue(announced.get(1, TimeUnit.MINUTES) < seen[1], "the purge wrote after the sequence the listener was told");
            }
        }
    }

    private static void writeNotes(EventStore store, int n) {
        List<Event> notes = new ArrayList<>();
        for (int i = 0; i < n; i++) notes.add(note(ALICE, 10 + i, "n" + i));
        for (int i = 0; i < notes.size(); i += 1000) store.write(notes.subList(i, Math.min(notes.size(), i + 1000)), null, NOW);
    }
}
