package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.ByteKey;
import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import dev.tern.filter.Filter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubscriptionIndexTest {
    private static final KeyPair ALICE = KeyPair.generate(new Random(1));
    private static final KeyPair BOB = KeyPair.generate(new Random(2));

    private static Filter authors(byte[]... keys) {
        Set<ByteKey> s = new java.util.HashSet<>();
        for (byte[] k : keys) s.add(ByteKey.of(k));
        return new Filter(null, s, null, Map.of(), null, null, null);
    }

    private static Subscription sub(String id, Filter... filters) {
        return new Subscription(null, id, List.of(filters));
    }

    private static List<String> matches(SubscriptionIndex index, Event e) {
        List<String> out = new ArrayList<>();
        index.match(e, s -> out.add(s.id));
        return out;
    }

    @Test
    void onlyEntriesFiledUnderTheEventsKeysAreExamined() {
        SubscriptionIndex index = new SubscriptionIndex();
        Random r = new Random(3);
        for (int i = 0; i < 1000; i++) {
            byte[] other = new byte[32];
            r.nextBytes(other);
            index.add(sub("other" + i, authors(other)));
        }
        for (int i = 0; i < 500; i++) index.add(sub("kind7-" + i, new Filter(null, null, Set.of(7), Map.of(), null, null, null)));
        for (int i = 0; i < 500; i++) index.add(sub("tag" + i, new Filter(null, null, null, Map.of('t', Set.of("x" + i)), null, null, null)));
        index.add(sub("alice", authors(ALICE.publicKey())));
        index.add(sub("notes", new Filter(null, null, Set.of(1), Map.of(), null, null, null)));
        index.add(sub("tagged", new Filter(null, null, Set.of(1), Map.of('t', Set.of("x3")), null, null, null)));
        index.add(sub("everything", Filter.ALL));

        Event e = Signer.sign(ALICE, 100, 1, List.of(List.of("t", "x3")), "hi");
        assertEquals(Set.of("alice", "notes", "tagged", "everything", "tag3"), Set.copyOf(matches(index, e)));
        // alice's entry, the kind-1 entry, the two entries filed under #t=x3 and the unindexed one
        assertEquals(5, index.candidatesExamined());
    }

    @Test
    void deliversOncePerSubscriptionAndConfirmsWithTheFilter() {
        SubscriptionIndex index = new SubscriptionIndex();
        Event e = Signer.sign(ALICE, 100, 1, List.of(List.of("p", BOB.publicKeyHex())), "hi");
        index.add(sub("many", authors(ALICE.publicKey()), new Filter(null, null, Set.of(1), Map.of(), null, null, null),
                new Filter(Set.of(ByteKey.of(e.id())), null, null, Map.of(), null, null, null)));
        index.add(sub("tooEarly", new Filter(null, null, Set.of(1), Map.of(), 200L, null, null)));
        index.add(sub("bob", authors(BOB.publicKey())));
        assertEquals(List.of("many"), matches(index, e));
    }

    @Test
    void removedSubscriptionsNoLongerMatch() {
        SubscriptionIndex index = new SubscriptionIndex();
        Subscription s = sub("a", authors(ALICE.publicKey()), Filter.ALL);
        index.add(s);
        index.remove(s);
        assertEquals(0, index.size());
        Event e = Signer.sign(ALICE, 100, 1, List.of(), "hi");
        assertTrue(matches(index, e).isEmpty());
        assertEquals(0, index.candidatesExamined());
    }
}
