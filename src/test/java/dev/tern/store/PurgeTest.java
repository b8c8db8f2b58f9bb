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
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Event;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        int half = EventWriter.PURGE_MIN_RECORDS / 2;
        try (EventStore store = EventStore.open(config(dir))) {
            writeProfiles(store, 0, half);
            assertEquals(half, store.stats().removedAwaitingPurge());
            List<String> latest = List.of(profile(1000 + half).idHex());
            assertEquals(latest, ids(store.export(null)), "export skips the records waiting for the purge");
            assertEquals(latest, query(store, authors(ALICE)));
        }
        assertEquals(half + 1, records(), "the replaced versions' records are still on disk");

        try (EventStore store = EventStore.open(config(dir))) {
            assertEquals(half, store.stats().removedAwaitingPurge(), "counted again at open");
            writeProfiles(store, half + 1, 2 * half);
            assertEquals(0, store.stats().removedAwaitingPurge(), "the " + EventWriter.PURGE_MIN_RECORDS + "th replacement purged them all");
            assertEquals(List.of(profile(1000 + 2 * half).idHex()), ids(store.export(null)));

            Event banned = note(ALICE, 50, "removed by the operator");
            store.write(List.of(banned), null, NOW);
            assertTrue(store.remove(banned.id()));
            assertEquals(0, store.stats().removedAwaitingPurge(), "an operator's removal waits for no purge");
        }
        assertEquals(1, records());
    }

    /** With 40,000 live events the purge waits for 5,000 records, and goes a batch of them per commit. */
    @Test
    void aLargePurgeGoesABatchPerCommit() throws Exception {
        int live = 40_000, due = live / 8;
        try (EventStore store = EventStore.open(config(dir))) {
            List<Event> notes = new ArrayList<>();
            for (int i = 0; i < live - 1; i++) notes.add(note(ALICE, 10 + i, "n" + i));
            for (int i = 0; i < notes.size(); i += 1000) store.write(notes.subList(i, Math.min(notes.size(), i + 1000)), null, NOW);
            writeProfiles(store, 0, due - 5);
            assertEquals(due - 5, store.stats().removedAwaitingPurge());
            assertEquals(store.writeSequence(), store.committedSequence(), "no purge step yet");
            List<Event> crossing = new ArrayList<>();
            for (int i = due - 4; i <= due + 5; i++) crossing.add(profile(1000 + i));
            store.write(crossing, null, NOW);
            // live subscribers compare this commit's sequence with their snapshots': the purge step is not part of it
            assertTrue(store.committedSequence() < store.writeSequence(), "the purge step wrote after the commit");
            assertEquals(due + 5 - EventWriter.PURGE_STEP_RECORDS, store.stats().removedAwaitingPurge(), "one batch of the purge per commit");
            writeProfiles(store, due + 6, due + 6);
            assertEquals(0, store.stats().removedAwaitingPurge(), "the next commit's batch finished it");
            assertEquals(live, ids(store.export(null)).size());
        }
        assertEquals(live, records());
    }
}
