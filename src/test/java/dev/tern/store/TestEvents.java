package dev.tern.store;

import dev.tern.event.ByteKey;
import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import dev.tern.filter.Filter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** Signed test events from seeded keys, and small helpers for store tests. */
final class TestEvents {
    static final KeyPair ALICE = KeyPair.generate(new Random(1));
    static final KeyPair BOB = KeyPair.generate(new Random(2));
    static final long NOW = 1_700_000_000L;

    private TestEvents() {}

    static Event event(KeyPair keys, long createdAt, int kind, List<List<String>> tags, String content) {
        return Signer.sign(keys, createdAt, kind, tags, content);
    }

    static Event note(KeyPair keys, long createdAt, String content) {
        return event(keys, createdAt, 1, List.of(), content);
    }

    static StoreConfig config(Path dir) {
        return StoreConfig.forBudget(dir, 192);
    }

    static String json(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The ids (hex) of a cursor's events, in order; closes it. */
    static List<String> ids(EventCursor cursor) {
        try (cursor) {
            List<String> out = new ArrayList<>();
            while (cursor.hasNext()) out.add(StoredJson.decode(cursor.next()).idHex());
            return out;
        }
    }

    static List<String> query(EventStore store, Filter... filters) {
        return ids(store.query(List.of(filters)));
    }

    static Filter filter() {
        return Filter.ALL;
    }

    static Filter ids(Event... events) {
        return new Filter(Set.copyOf(Arrays.stream(events).map(e -> ByteKey.of(e.id())).toList()), null, null, Map.of(), null, null, null);
    }

    static Filter authors(KeyPair... keys) {
        return new Filter(null, Set.copyOf(Arrays.stream(keys).map(k -> ByteKey.of(k.publicKey())).toList()), null, Map.of(), null, null, null);
    }

    static Filter kinds(Integer... kinds) {
        return new Filter(null, null, Set.of(kinds), Map.of(), null, null, null);
    }

    static Filter tag(char letter, String... values) {
        return new Filter(null, null, null, Map.of(letter, Set.of(values)), null, null, null);
    }
}
