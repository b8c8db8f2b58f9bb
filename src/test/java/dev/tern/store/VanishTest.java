package dev.tern.store;

import static dev.tern.store.TestEvents.ALICE;
import static dev.tern.store.TestEvents.BOB;
import static dev.tern.store.TestEvents.authors;
import static dev.tern.store.TestEvents.config;
import static dev.tern.store.TestEvents.event;
import static dev.tern.store.TestEvents.ids;
import static dev.tern.store.TestEvents.note;
import static dev.tern.store.TestEvents.query;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tern.event.Event;
import dev.tern.event.EventParser;
import dev.tern.event.KeyPair;
import dev.tern.filter.Filter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NIP-62 requests to vanish, as the writer carries them out. */
class VanishTest {
    private static final String HOST = "relay.example.com";
    private static final long NOW = 10_000;

    @TempDir
    Path dir;

    private static Event vanish(KeyPair k, long createdAt, String relay) {
        return event(k, createdAt, 62, List.of(List.of("relay", relay)), "please forget me");
    }

    private static Event wrapTo(KeyPair to, long createdAt, String content) {
        return event(KeyPair.generate(new Random(createdAt)), createdAt, 1059, List.of(List.of("p", to.publicKeyHex())), content);
    }

    private EventStore open(Path data) {
        return EventStore.open(config(data).withRelayHost(HOST));
    }

    @Test
    void aRequestNamingThisRelayRemovesTheAuthorsEventsAndWrapsToItAndKeepsThemOut() {
        try (EventStore store = open(dir)) {
            Event first = note(ALICE, 100, "first"), second = note(ALICE, 200, "second");
            Event deletion = event(ALICE, 120, 5, List.of(List.of("e", "0".repeat(64))), "");
            Event wrap = wrapTo(ALICE, 150, "to alice");
            Event bobs = note(BOB, 100, "bob stays");
            Event request = vanish(ALICE, 300, "wss://" + HOST + "/");
            store.write(List.of(first, second, deletion, wrap, bobs), null, NOW);
            assertEquals(List.of(WriteOutcome.STORED), store.write(List.of(request), null, NOW));

            assertEquals(List.of(request.idHex()), query(store, authors(ALICE)), "only the request is kept");
            assertEquals(List.of(bobs.idHex()), query(store, ids(wrap, bobs)));
            assertEquals(2, store.stats().events());
            assertEquals(List.of(WriteOutcome.VANISHED, WriteOutcome.VANISHED, WriteOutcome.STORED, WriteOutcome.STORED),
                    store.write(List.of(second, wrapTo(ALICE, 250, "old"), note(ALICE, 400, "after"), wrapTo(ALICE, 350, "new")), null, NOW));
            Event undo = event(ALICE, 500, 5, List.of(List.of("e", request.idHex())), "");
            store.write(List.of(undo), null, NOW);
            assertEquals(List.of(request.idHex()), query(store, ids(request)), "a deletion of the request has no effect (NIP-62)");
        }
        try (EventStore reopened = open(dir)) {
            assertEquals(List.of(WriteOutcome.VANISHED), reopened.write(List.of(note(ALICE, 299, "still out")), null, NOW), "after a restart");
        }
    }

    @Test
    void onlyRequestsNamingThisRelayOrAllRelaysCount() {
        try (EventStore store = open(dir)) {
            Event a = note(ALICE, 100, "a"), b = note(BOB, 100, "b");
            store.write(List.of(a, b), null, NOW);
            store.write(List.of(vanish(ALICE, 300, "wss://elsewhere.example/")), null, NOW);
            assertEquals(2, query(store, authors(ALICE)).size(), "another relay's request is stored, not carried out");
            store.write(List.of(vanish(BOB, 300, "ALL_RELAYS")), null, NOW);
            assertEquals(1, query(store, authors(BOB)).size());
        }
    }

    @Test
    void aLargeHistoryGoesInBoundedBatches() {
        try (EventStore store = open(dir)) {
            List<Event> many = new ArrayList<>();
            for (int i = 0; i < 2500; i++) many.add(note(ALICE, 100 + i, "n" + i));
            store.write(many, null, NOW);
            store.write(List.of(vanish(ALICE, 5000, "ALL_RELAYS")), null, NOW);
            assertEquals(1, store.count(List.of(Filter.ALL)));
        }
    }

    /** The request survives an export: imported into a new store, it removes and refuses the same events. */
    @Test
    void theRequestSurvivesAnExportAndReimport() {
        Event old = note(ALICE, 100, "old");
        List<Event> exported = new ArrayList<>();
        try (EventStore store = open(dir.resolve("a"))) {
            store.write(List.of(old, note(BOB, 100, "b"), vanish(ALICE, 300, "wss://" + HOST)), null, NOW);
            try (EventCursor c = store.export(null)) {
                while (c.hasNext()) exported.add(EventParser.parseStored(c.next()));
            }
        }
        assertEquals(2, exported.size());
        try (EventStore restored = open(dir.resolve("b"))) {
            restored.write(exported, null, NOW);
            assertEquals(List.of(WriteOutcome.VANISHED), restored.write(List.of(old), null, NOW));
        }
    }
}
