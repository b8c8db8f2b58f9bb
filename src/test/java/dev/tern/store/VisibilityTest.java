package dev.tern.store;

import static dev.tern.store.TestEvents.ALICE;
import static dev.tern.store.TestEvents.BOB;
import static dev.tern.store.TestEvents.config;
import static dev.tern.store.TestEvents.event;
import static dev.tern.store.TestEvents.ids;
import static dev.tern.store.TestEvents.note;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tern.event.Event;
import dev.tern.filter.Filter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reader's Visibility drops hidden events before limits and counts, in query, count and export alike. */
class VisibilityTest {
    @TempDir
    Path dir;

    /** Hides every kind 4 event except those with content "mine". */
    private static final Visibility ONLY_MINE = new Visibility() {
        @Override
        public boolean mayHideKind(int kind) { return kind == 4; }

        @Override
        public boolean visible(Event e) { return e.kind() != 4 || e.content().equals("mine"); }
    };

    private static Filter kinds(Integer limit, Integer... kinds) {
        return new Filter(null, null, Set.of(kinds), Map.of(), null, null, limit);
    }

    @Test
    void hiddenEventsTakeNoPlaceInALimitOrACount() {
        try (EventStore store = EventStore.open(config(dir))) {
            List<Event> all = new ArrayList<>();
            Event mine = event(BOB, 100, 4, List.of(), "mine");
            all.add(mine);
            for (int i = 0; i < 5; i++) all.add(event(ALICE, 200 + i, 4, List.of(), "theirs " + i)); // newer than mine
            Event note = note(ALICE, 150, "public");
            all.add(note);
            store.write(all, null, 1000);
            assertEquals(List.of(mine.idHex()), ids(store.query(List.of(kinds(1, 4)), ONLY_MINE)));
            assertEquals(List.of(note.idHex(), mine.idHex()), ids(store.query(List.of(new Filter(null, null, null, Map.of(), null, null, 2)), ONLY_MINE)));
            assertEquals(List.of(note.idHex(), mine.idHex()), ids(store.query(List.of(TestEvents.ids(all.toArray(Event[]::new))), ONLY_MINE)));
            assertEquals(2, store.count(List.of(Filter.ALL), ONLY_MINE));
            assertEquals(1, store.count(List.of(kinds(null, 4)), ONLY_MINE));
            assertEquals(7, store.count(List.of(Filter.ALL)));
            assertEquals(1, store.count(List.of(kinds(null, 1)), ONLY_MINE), "a filter that cannot match a hidden kind");
            assertEquals(List.of(mine.idHex(), note.idHex()), ids(store.export(null, ONLY_MINE)));
            assertEquals(List.of(mine.idHex()), ids(store.export(kinds(null, 4), ONLY_MINE)));
        }
    }

    /** A tag filter without kinds reads each candidate's kind from the tag index: only the hidden kinds' bodies are checked. */
    @Test
    void aTagFilterWithoutKindsHidesByTheIndexedKind() {
        try (EventStore store = EventStore.open(config(dir))) {
            String p = BOB.publicKeyHex();
            List<List<String>> tags = List.of(List.of("p", p));
            Event mine = event(ALICE, 100, 4, tags, "mine");
            Event theirs = event(ALICE, 300, 4, tags, "theirs");
            Event list = event(ALICE, 200, 3, tags, "");
            Event note = event(ALICE, 250, 1, tags, "public");
            store.write(List.of(mine, theirs, list, note), null, 1000);
            Filter byP = new Filter(null, null, null, Map.of('p', Set.of(p)), null, null, 3);
            assertEquals(List.of(note.idHex(), list.idHex(), mine.idHex()), ids(store.query(List.of(byP), ONLY_MINE)));
            assertEquals(3, store.count(List.of(byP), ONLY_MINE));
            assertEquals(4, store.count(List.of(byP)));
        }
    }
}
