package dev.tern.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tern.event.ByteKey;
import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import dev.tern.filter.Filter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random event sets (regular, replaceable, addressable, ephemeral, expiring, deletions; many equal
 * timestamps) written in random batches must give the model's outcomes, and random filters must give
 * the model's results in order, limits included, and its counts.
 */
class StoreModelProperties {
    private static final List<KeyPair> KEYS = List.of(TestEvents.ALICE, TestEvents.BOB, KeyPair.generate(new Random(3)));
    private static final int[] KINDS = {1, 1, 1, 7, 0, 3, 10002, 30023, 30023, 20001, 5, 5};
    private static final long NOW = 1000;

    @Property(tries = 60)
    void storeAgreesWithModel(@ForAll long seed) throws IOException {
        Random r = new Random(seed);
        List<Event> events = generate(r, 15 + r.nextInt(35));
        StoreModel model = new StoreModel();
        Path dir = Files.createTempDirectory("tern-store-prop");
        StoreConfig config = TestEvents.config(dir);
        long[] readNow = {NOW};
        try (EventStore store = EventStore.open(config, () -> readNow[0])) {
            for (int i = 0; i < events.size(); ) {
                int n = 1 + r.nextInt(8);
                List<Event> batch = events.subList(i, Math.min(events.size(), i + n));
                List<WriteOutcome> expected = batch.stream().map(e -> model.write(e, NOW)).toList();
                assertEquals(expected, store.write(batch, null, NOW), "seed " + seed);
                i += n;
            }
            if (r.nextBoolean()) assertEquals(model.sweep(NOW + 5), store.sweepExpired(NOW + 5));
            assertEquals(model.all().size(), store.stats().events());
            for (int q = 0; q < 25; q++) {
                readNow[0] = NOW + r.nextInt(10); // reads later than the writes see more events expired, swept or not
                List<Filter> filters = new ArrayList<>();
                int nf = 1 + (r.nextInt(4) == 0 ? 1 + r.nextInt(2) : 0);
                for (int k = 0; k < nf; k++) filters.add(randomFilter(r, events));
                assertEquals(model.query(filters, readNow[0]), TestEvents.ids(store.query(filters)), "seed " + seed + " " + filters);
                assertEquals(model.count(filters, readNow[0]), store.count(filters), "seed " + seed + " " + filters);
            }
        } finally {
            deleteTree(dir);
        }
    }

    private static List<Event> generate(Random r, int n) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            KeyPair key = KEYS.get(r.nextInt(KEYS.size()));
            int kind = KINDS[r.nextInt(KINDS.length)];
            long createdAt = 100 + r.nextInt(6);
            List<List<String>> tags = new ArrayList<>();
            if (kind == 30023) tags.add(List.of("d", r.nextBoolean() ? "x" : "y"));
            if (kind == 5) {
                for (int t = 0; t <= r.nextInt(2) && !events.isEmpty(); t++) {
                    Event target = events.get(r.nextInt(events.size()));
                    if (target.address() != null && r.nextBoolean()) tags.add(List.of("a", target.address()));
                    else tags.add(List.of("e", target.idHex()));
                }
            } else {
                if (r.nextInt(3) == 0) tags.add(List.of("t", List.of("a", "b", "c").get(r.nextInt(3))));
                if (r.nextInt(3) == 0) tags.add(List.of("p", KEYS.get(r.nextInt(KEYS.size())).publicKeyHex()));
                if (r.nextInt(4) == 0 && !events.isEmpty()) tags.add(List.of("e", events.get(r.nextInt(events.size())).idHex()));
                if (r.nextInt(6) == 0) tags.add(List.of("expiration", Long.toString(NOW - 2 + r.nextInt(10))));
            }
            Event e = TestEvents.event(key, createdAt, kind, tags, "c" + r.nextInt(3));
            events.add(e);
            if (r.nextInt(10) == 0) events.add(events.get(r.nextInt(events.size()))); // resend
        }
        return events;
    }

    private static Filter randomFilter(Random r, List<Event> events) {
        Set<ByteKey> ids = null, authors = null;
        Set<Integer> kinds = null;
        Map<Character, Set<String>> tags = new HashMap<>();
        if (r.nextInt(6) == 0) ids = pick(r, events.stream().map(e -> ByteKey.of(e.id())).toList());
        if (r.nextInt(3) == 0) authors = pick(r, KEYS.stream().map(k -> ByteKey.of(k.publicKey())).toList());
        if (r.nextInt(3) == 0) kinds = pick(r, List.of(1, 7, 0, 3, 10002, 30023, 5, 20001));
        if (r.nextInt(4) == 0) tags.put('t', pick(r, List.of("a", "b", "c", "z")));
        if (r.nextInt(5) == 0) tags.put('p', pick(r, KEYS.stream().map(KeyPair::publicKeyHex).toList()));
        if (r.nextInt(6) == 0) tags.put('e', pick(r, events.stream().map(Event::idHex).toList()));
        if (r.nextInt(8) == 0) tags.put('d', pick(r, List.of("x", "y")));
        Long since = r.nextInt(3) == 0 ? 100L + r.nextInt(6) : null;
        Long until = r.nextInt(3) == 0 ? 100L + r.nextInt(6) : null;
        Integer limit = r.nextInt(2) == 0 ? Integer.valueOf(r.nextInt(6)) : (r.nextInt(3) == 0 ? Integer.valueOf(50) : null);
        return new Filter(ids, authors, kinds, tags, since, until, limit);
    }

    private static <T> Set<T> pick(Random r, List<T> from) {
        Set<T> out = new HashSet<>();
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) out.add(from.get(r.nextInt(from.size())));
        return out;
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
