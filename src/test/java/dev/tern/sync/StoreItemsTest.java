package dev.tern.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.ByteKey;
import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import dev.tern.filter.Filter;
import dev.tern.store.EventStore;
import dev.tern.store.StoreConfig;
import dev.tern.store.StoreSnapshot;
import dev.tern.store.Visibility;
import dev.tern.store.TestWrites;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store read as negentropy items: the same ranges, in the same order, as an in-memory sorted set. */
class StoreItemsTest {
    private static final Filter NOTES = new Filter(null, null, Set.of(1), Map.of(), null, null, null);
    @TempDir
    Path dir;
    private EventStore store;
    private final List<Item> notes = new ArrayList<>();
    private final List<Item> all = new ArrayList<>();

    @BeforeEach
    void fill() throws Exception {
        store = EventStore.open(StoreConfig.forBudget(dir, 192));
        Random r = new Random(7);
        KeyPair keys = KeyPair.generate(r);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            int kind = i % 4 == 0 ? 7 : 1; // the reactions must stay out of a kind-1 sync
            Event e = Signer.sign(keys, 1_700_000_000L + r.nextInt(12), kind, List.of(), "n" + i);
            events.add(e);
            all.add(new Item(e.createdAt(), e.id()));
            if (kind == 1) notes.add(new Item(e.createdAt(), e.id()));
        }
        TestWrites.write(store, events);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void everyRangeMatchesTheSortedSet() throws Exception {
        assertSameRanges(notes, NOTES, 11);
    }

    @Test
    void anUnfilteredSetIsReadFromTheCreatedAtIndexAlone() throws Exception {
        assertSameRanges(all, Filter.ALL, 12);
    }

    private void assertSameRanges(List<Item> items, Filter filter, long seed) throws Exception {
        SortedItems expected = new SortedItems(items);
        Random r = new Random(seed);
        try (StoreSnapshot snap = store.snapshot(Visibility.ALL)) {
            StoreItems actual = new StoreItems(snap, filter, 1000);
            for (int i = 0; i < 200; i++) {
                Bound a = randomBound(r), b = randomBound(r);
                Bound lower = a.compareTo(b) <= 0 ? a : b, upper = a.compareTo(b) <= 0 ? b : a;
                assertEquals(scan(expected, lower, upper), scan(actual, lower, upper));
            }
            assertEquals(scan(expected, Bound.ZERO, Bound.INFINITY), scan(actual, Bound.ZERO, Bound.INFINITY));
        }
    }

    @Test
    void aStoreReconcilesWithAPartialCopy() throws Exception {
        List<Item> copy = new ArrayList<>(notes.subList(0, 200));
        List<Item> extra = NegentropyProperties.items(new Random(3), 40, 12);
        copy.addAll(extra);
        try (StoreSnapshot snap = store.snapshot(Visibility.ALL)) {
            var found = NegentropyProperties.reconcile(new SortedItems(copy), new StoreItems(snap, NOTES, 1000), 4096);
            Set<ByteKey> missing = new HashSet<>();
            for (Item i : notes.subList(200, notes.size())) missing.add(ByteKey.of(i.id()));
            assertEquals(missing, new HashSet<>(found.need()));
            assertEquals(40, new HashSet<>(found.have()).size());
        }
    }

    @Test
    void tooManyEventsInOneSecondAreRefused() throws Exception {
        try (StoreSnapshot snap = store.snapshot(Visibility.ALL)) {
            NegentropyException e = assertThrows(NegentropyException.class,
                    () -> new StoreItems(snap, NOTES, 5).scan(Bound.ZERO, Bound.INFINITY, item -> true));
            assertTrue(e.getMessage().startsWith("blocked: "), e.getMessage());
        }
    }

    private static List<String> scan(ItemSource s, Bound lower, Bound upper) throws NegentropyException {
        List<String> out = new ArrayList<>();
        s.scan(lower, upper, item -> out.add(item.createdAt() + ":" + ByteKey.of(item.id())));
        return out;
    }

    private static Bound randomBound(Random r) {
        byte[] prefix = new byte[r.nextInt(3)];
        r.nextBytes(prefix);
        return new Bound(1_700_000_000L - 1 + r.nextInt(14), prefix);
    }
}
