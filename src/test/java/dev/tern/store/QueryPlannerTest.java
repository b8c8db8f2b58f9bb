package dev.tern.store;

import static dev.tern.store.TestEvents.ALICE;
import static dev.tern.store.TestEvents.BOB;
import static dev.tern.store.TestEvents.NOW;
import static dev.tern.store.TestEvents.event;
import static dev.tern.store.TestEvents.note;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.ByteKey;
import dev.tern.event.Event;
import dev.tern.filter.Filter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryPlannerTest {
    private static final Set<ByteKey> A = Set.of(ByteKey.of(ALICE.publicKey()));
    private static final Map<Character, Set<String>> T = Map.of('t', Set.of("x"));

    @TempDir
    Path dir;

    private static QueryPlan.Scan scan(Filter f) {
        return assertInstanceOf(QueryPlan.Scan.class, QueryPlanner.plan(f));
    }

    @Test
    void idsWinOverEverything() {
        Filter f = new Filter(Set.of(ByteKey.of(new byte[32])), A, Set.of(1), T, null, null, null);
        assertInstanceOf(QueryPlan.IdLookup.class, QueryPlanner.plan(f));
    }

    @Test
    void authorAndKindUseTheCombinedIndexWithOneRangePerPair() {
        Filter f = new Filter(null, Set.of(ByteKey.of(ALICE.publicKey()), ByteKey.of(BOB.publicKey())), Set.of(1, 7), T, null, null, 20);
        QueryPlan.Scan s = scan(f);
        assertEquals(Index.AUTHOR_KIND, s.index());
        assertEquals(4, s.prefixes().size());
        assertFalse(s.exact());
        assertTrue(scan(f.withLimit(null)).index() == Index.AUTHOR_KIND);
        assertTrue(scan(new Filter(null, A, Set.of(1), null, null, null, null)).exact());
    }

    @Test
    void tagBeatsAuthorAndKindAlone() {
        QueryPlan.Scan s = scan(new Filter(null, A, null, T, null, null, null));
        assertEquals(Index.TAG, s.index());
        assertFalse(s.exact());
        QueryPlan.Scan withKinds = scan(new Filter(null, null, Set.of(7), Map.of('e', Set.of("a".repeat(64))), null, null, null));
        assertEquals(Index.TAG, withKinds.index());
        assertEquals(Set.of(7), withKinds.kindsInValue());
        assertTrue(withKinds.exact());
    }

    @Test
    void tagWithFewestValuesIsChosen() {
        QueryPlan.Scan s = scan(new Filter(null, null, null, Map.of('t', Set.of("a", "b", "c"), 'p', Set.of("q")), null, null, null));
        assertEquals(1, s.prefixes().size());
        assertEquals('p', (char) s.prefixes().get(0)[0]);
    }

    @Test
    void authorThenKindThenCreatedAt() {
        assertEquals(Index.AUTHOR, scan(new Filter(null, A, null, null, 10L, null, null)).index());
        assertEquals(Index.KIND, scan(new Filter(null, null, Set.of(1), null, null, 20L, null)).index());
        QueryPlan.Scan all = scan(new Filter(null, null, null, null, 10L, 20L, 5));
        assertEquals(Index.CREATED_AT, all.index());
        assertTrue(all.exact());
    }

    @Test
    void nonLetterTagsAreNotIndexed() {
        QueryPlan.Scan s = scan(new Filter(null, null, Set.of(1), Map.of('1', Set.of("x")), null, null, null));
        assertEquals(Index.KIND, s.index());
        assertFalse(s.exact());
    }

    @Test
    void emptyFiltersMatchNothing() {
        assertInstanceOf(QueryPlan.NoMatch.class, QueryPlanner.plan(new Filter(null, Set.of(), null, null, null, null, null)));
        assertInstanceOf(QueryPlan.NoMatch.class, QueryPlanner.plan(new Filter(null, null, null, null, 20L, 10L, null)));
    }

    @Test
    void longTagValuesAreHashedAndPostFiltered() {
        String longValue = "v".repeat(300);
        QueryPlan.Scan s = scan(new Filter(null, null, null, Map.of('r', Set.of(longValue)), null, null, null));
        assertFalse(s.exact());
        try (EventStore store = EventStore.open(TestEvents.config(dir))) {
            Event e = event(ALICE, 100, 1, List.of(List.of("r", longValue)), "");
            Event other = event(ALICE, 100, 1, List.of(List.of("r", longValue + "w")), "");
            store.write(List.of(e, other), null, NOW);
            assertEquals(List.of(e.idHex()), TestEvents.query(store, TestEvents.tag('r', longValue)));
        }
    }

    @Test
    void eachFilterGetsItsOwnLimitAndNoLimitMeansEveryMatch() {
        try (EventStore store = EventStore.open(TestEvents.config(dir))) {
            List<Event> notes = new ArrayList<>();
            for (int i = 0; i < 10; i++) notes.add(note(ALICE, 100 + i, "n" + i));
            store.write(notes, null, NOW);
            assertEquals(10, TestEvents.query(store, TestEvents.filter()).size());
            assertEquals(10, TestEvents.query(store, TestEvents.filter().withLimit(50)).size());
            assertEquals(2, TestEvents.query(store, TestEvents.filter().withLimit(2)).size());
            assertEquals(0, TestEvents.query(store, TestEvents.filter().withLimit(0)).size());
            assertEquals(10, store.count(List.of(TestEvents.filter())));
        }
    }

    @Test
    void maxScannedKeysStopsTheScan() {
        try (EventStore store = EventStore.open(TestEvents.config(dir).withMaxScannedKeys(5))) {
            List<Event> notes = new ArrayList<>();
            for (int i = 0; i < 20; i++) notes.add(note(i % 2 == 0 ? ALICE : BOB, 100 + i, "n" + i));
            store.write(notes, null, NOW);
            // the tag index has no such key: nothing scanned beyond the seek
            Filter noMatch = new Filter(null, null, Set.of(1), Map.of('z', Set.of("none")), null, null, null);
            try (EventCursor c = store.query(List.of(TestEvents.kinds(1)))) {
                int n = 0;
                while (c.hasNext()) {
                    c.next();
                    n++;
                }
                assertTrue(n <= 5);
                assertTrue(c.truncated());
            }
            try (EventCursor c = store.query(List.of(noMatch))) {
                assertFalse(c.hasNext());
                assertFalse(c.truncated());
            }
            // a budget of 5: the kind range's seek, then 4 keys
            assertEquals(4, store.count(List.of(TestEvents.kinds(1))));
        }
    }

    @Test
    void equalTimestampsComeOutByIdAcrossFilters() {
        try (EventStore store = EventStore.open(TestEvents.config(dir))) {
            List<Event> notes = new ArrayList<>();
            for (int i = 0; i < 8; i++) notes.add(note(i % 2 == 0 ? ALICE : BOB, 100, "same second " + i));
            store.write(notes, null, NOW);
            List<String> expected = notes.stream().map(Event::idHex).sorted().toList();
            assertEquals(expected, TestEvents.query(store, TestEvents.authors(ALICE), TestEvents.authors(BOB), TestEvents.kinds(1)));
            assertEquals(expected.subList(0, 3), TestEvents.query(store, TestEvents.kinds(1).withLimit(3)));
            assertEquals(8, store.count(List.of(TestEvents.authors(ALICE), TestEvents.kinds(1))));
        }
    }

    @Test
    void sinceAndUntilBoundTheRanges() {
        try (EventStore store = EventStore.open(TestEvents.config(dir).withMaxScannedKeys(5))) {
            List<Event> notes = new ArrayList<>();
            for (int i = 0; i < 10; i++) notes.add(note(ALICE, 100 + i, "n" + i));
            store.write(notes, null, NOW);
            Filter f = new Filter(null, A, Set.of(1), null, 103L, 106L, null);
            assertEquals(List.of(notes.get(6).idHex(), notes.get(5).idHex(), notes.get(4).idHex(), notes.get(3).idHex()),
                    TestEvents.query(store, f));
            // the cap counts index keys: 4 in range plus the one that ends the range
            assertEquals(4, store.count(List.of(f)));
        }
    }
}
