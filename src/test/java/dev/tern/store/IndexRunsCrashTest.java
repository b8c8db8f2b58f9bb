package dev.tern.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.ByteKey;
import dev.tern.event.Event;
import dev.tern.filter.Filter;
import dev.tern.gen.EventGenerator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/**
 * A bulk load whose store is left as a crash between a checkpoint and the ingestion of the index keys before it
 * leaves it (the events flushed, the index keys only in the writer's {@link IndexRuns}), resumed from its checkpoint:
 * every kind of query answers as on a store loaded without the crash.
 */
class IndexRunsCrashTest {
    private static final int EVENTS = 6_000;
    private static final int BATCH = 100;

    @TempDir
    Path dir;

    private final EventGenerator generator = new EventGenerator(EVENTS, 7, 0, 1);

    @Test
    void resumedLoadAfterACrashBeforeAnIngestionEqualsAnUninterruptedOne() throws Exception {
        List<List<Event>> batches = new ArrayList<>();
        for (int b = 0; b < EVENTS / BATCH; b++) {
            List<Event> batch = new ArrayList<>();
            for (int i = b * BATCH; i < (b + 1) * BATCH; i++) batch.add(generator.event(i));
            batches.add(batch);
        }
        Path reference = dir.resolve("reference");
        try (EventStore store = EventStore.open(bulk(reference))) {
            load(store, batches, 0);
        }

        Path crashed = dir.resolve("crashed");
        int crashAfter = batches.size() / 2;
        try (EventStore store = EventStore.open(bulk(dir.resolve("first")))) {
            for (int b = 0; b <= crashAfter; b++) store.write(batches.get(b), checkpoint(b), TestEvents.NOW);
            // RocksDB's checkpoint flushes every family and copies the files: the state a crash leaves after a flush
            Files.move(store.checkpoint(), crashed);
        }
        long[] markerAndNext = markerAndNextSerial(crashed);
        assertTrue(markerAndNext[0] > 1 && markerAndNext[0] < markerAndNext[1],
                "the copy has ingested index keys and events without them: " + markerAndNext[0] + ", " + markerAndNext[1]);

        try (EventStore store = EventStore.open(bulk(crashed))) {
            int resumeFrom = store.meta("cp").map(v -> (int) v[0] + 1).orElseThrow();
            assertEquals(crashAfter + 1, resumeFrom);
            load(store, batches, resumeFrom);
        }

        try (EventStore expected = EventStore.open(TestEvents.config(reference));
             EventStore actual = EventStore.open(TestEvents.config(crashed))) {
            assertEquals(expected.stats().events(), actual.stats().events());
            assertEquals(TestEvents.ids(expected.export(null)), TestEvents.ids(actual.export(null)));
            int queries = 0;
            for (Filter f : filters(batches)) {
                List<String> want = TestEvents.ids(expected.export(f));
                assertEquals(want, TestEvents.ids(actual.export(f)), f.toString());
                assertEquals(expected.count(List.of(f)), actual.count(List.of(f)), f.toString());
                if (!want.isEmpty()) queries++;
            }
            assertTrue(queries > 50, "only " + queries + " queries found events");
        }
    }

    /** Small memtables and runs, so the load flushes and ingests many times. */
    private static StoreConfig bulk(Path dir) {
        return TestEvents.config(dir).withMemtableBytes(2L << 20).withBlockCacheBytes(8L << 20).withBulkLoad(true);
    }

    private static java.util.function.Function<List<WriteOutcome>, Checkpoint> checkpoint(int b) {
        return outcomes -> new Checkpoint("cp", new byte[] {(byte) b});
    }

    private static void load(EventStore store, List<List<Event>> batches, int from) {
        for (int b = from; b < batches.size(); b++) store.write(batches.get(b), checkpoint(b), TestEvents.NOW);
        store.finishBulkLoad();
    }

    /** Every index's queries: ids, authors, kinds, author and kind, each indexed tag letter, a time window, all. */
    private static List<Filter> filters(List<List<Event>> batches) {
        List<Filter> out = new ArrayList<>();
        out.add(Filter.ALL);
        for (int b = 0; b < batches.size(); b += 3) {
            Event e = batches.get(b).get(b % BATCH);
            ByteKey author = ByteKey.of(e.pubkey());
            out.add(new Filter(Set.of(ByteKey.of(e.id())), null, null, Map.of(), null, null, null));
            out.add(new Filter(null, Set.of(author), null, Map.of(), null, null, null));
            out.add(new Filter(null, null, Set.of(e.kind()), Map.of(), null, null, null));
            out.add(new Filter(null, Set.of(author), Set.of(e.kind()), Map.of(), null, null, null));
            out.add(new Filter(null, null, null, Map.of(), e.createdAt() - 600, e.createdAt() + 600, null));
            for (List<String> tag : e.tags()) {
                if (tag.size() >= 2 && Keys.isIndexedTagName(tag.get(0))) {
                    out.add(new Filter(null, null, null, Map.of(tag.get(0).charAt(0), Set.of(tag.get(1))), null, null, null));
                }
            }
        }
        return out;
    }

    /** The stored {@link MetaKeys#INDEXED_THROUGH} and next serial of a closed store. */
    private static long[] markerAndNextSerial(Path store) throws Exception {
        RocksDB.loadLibrary();
        List<byte[]> names;
        try (Options o = new Options()) {
            names = RocksDB.listColumnFamilies(o, store.toString());
        }
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        for (byte[] n : names) descriptors.add(new ColumnFamilyDescriptor(n));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions o = new DBOptions(); RocksDB db = RocksDB.openReadOnly(o, store.toString(), descriptors, handles)) {
            try {
                for (int i = 0; i < names.size(); i++) {
                    if (!new String(names.get(i), StandardCharsets.UTF_8).equals(Families.META)) continue;
                    byte[] marker = db.get(handles.get(i), MetaKeys.INDEXED_THROUGH);
                    byte[] next = db.get(handles.get(i), MetaKeys.NEXT_SERIAL);
                    return new long[] {Keys.getLong(marker, 0), Keys.getLong(next, 0)};
                }
                throw new AssertionError("no meta family");
            } finally {
                handles.forEach(ColumnFamilyHandle::close);
            }
        }
    }
}
