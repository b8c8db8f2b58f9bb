package dev.tern.store;

import static dev.tern.store.TestEvents.ALICE;
import static dev.tern.store.TestEvents.BOB;
import static dev.tern.store.TestEvents.NOW;
import static dev.tern.store.TestEvents.event;
import static dev.tern.store.TestEvents.note;
import static dev.tern.store.WriteOutcome.DELETED_BEFORE;
import static dev.tern.store.WriteOutcome.DUPLICATE;
import static dev.tern.store.WriteOutcome.EPHEMERAL_NOT_STORED;
import static dev.tern.store.WriteOutcome.EXPIRED;
import static dev.tern.store.WriteOutcome.REPLACED_OLDER;
import static dev.tern.store.WriteOutcome.STORED;
import static dev.tern.store.WriteOutcome.SUPERSEDED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Event;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per write rule of NIP-01, NIP-09 and NIP-40. */
class WriteSemanticsTest {
    @TempDir
    Path dir;
    EventStore store;

    @BeforeEach
    void open() {
        store = EventStore.open(TestEvents.config(dir), () -> NOW);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private List<WriteOutcome> write(Event... events) {
        return store.write(List.of(events), null, NOW);
    }

    private boolean stored(Event e) {
        return store.get(e.id()).isPresent();
    }

    @Test
    void storesAndGetsTheExactJson() {
        Event e = note(ALICE, 100, "hello");
        assertEquals(List.of(STORED), write(e));
        assertArrayEquals(e.json(), store.get(e.id()).orElseThrow());
    }

    @Test
    void duplicateAcrossBatches() {
        Event e = note(ALICE, 100, "a");
        write(e);
        assertEquals(List.of(DUPLICATE), write(e));
        assertEquals(1, store.stats().events());
    }

    @Test
    void duplicateWithinBatch() {
        Event e = note(ALICE, 100, "a");
        assertEquals(List.of(STORED, DUPLICATE), write(e, e));
        assertEquals(1, store.stats().events());
    }

    @Test
    void replaceableKeepsNewest() {
        Event v1 = event(ALICE, 100, 0, List.of(), "v1");
        Event v2 = event(ALICE, 200, 0, List.of(), "v2");
        assertEquals(List.of(STORED), write(v1));
        assertEquals(List.of(REPLACED_OLDER), write(v2));
        assertFalse(stored(v1));
        assertTrue(stored(v2));
        assertEquals(List.of(v2.idHex()), TestEvents.query(store, TestEvents.kinds(0)));
    }

    @Test
    void replaceableTieKeepsLowestId() {
        Event a = event(ALICE, 100, 10002, List.of(), "a");
        Event b = event(ALICE, 100, 10002, List.of(), "b");
        Event low = Arrays.compareUnsigned(a.id(), b.id()) < 0 ? a : b;
        Event high = low == a ? b : a;
        assertEquals(List.of(STORED, SUPERSEDED), write(low, high));
        assertTrue(stored(low));
        store.close();
        store = EventStore.open(TestEvents.config(dir.resolve("other")), () -> NOW);
        assertEquals(List.of(STORED, REPLACED_OLDER), write(high, low));
        assertTrue(stored(low));
        assertFalse(stored(high));
    }

    @Test
    void olderVersionArrivingLaterIsRefused() {
        Event v2 = event(ALICE, 200, 3, List.of(), "v2");
        Event v1 = event(ALICE, 100, 3, List.of(), "v1");
        write(v2);
        assertEquals(List.of(SUPERSEDED), write(v1));
        assertFalse(stored(v1));
        assertEquals(1, store.stats().events());
    }

    @Test
    void addressableIsKeyedByDTag() {
        Event x1 = event(ALICE, 100, 30023, List.of(List.of("d", "x")), "x1");
        Event y1 = event(ALICE, 150, 30023, List.of(List.of("d", "y")), "y1");
        Event x2 = event(ALICE, 200, 30023, List.of(List.of("d", "x")), "x2");
        Event bobX = event(BOB, 50, 30023, List.of(List.of("d", "x")), "bob");
        assertEquals(List.of(STORED, STORED, REPLACED_OLDER, STORED), write(x1, y1, x2, bobX));
        assertFalse(stored(x1));
        assertTrue(stored(y1) && stored(x2) && stored(bobX));
    }

    @Test
    void replaceableIgnoresDTag() {
        Event a = event(ALICE, 100, 10000, List.of(List.of("d", "x")), "a");
        Event b = event(ALICE, 200, 10000, List.of(List.of("d", "y")), "b");
        assertEquals(List.of(STORED, REPLACED_OLDER), write(a, b));
    }

    @Test
    void deletionByEventIdRemovesAndIsStored() {
        Event n = note(ALICE, 100, "oops");
        write(n);
        Event del = event(ALICE, 200, 5, List.of(List.of("e", n.idHex())), "");
        assertEquals(List.of(STORED), write(del));
        assertFalse(stored(n));
        assertTrue(stored(del));
        assertEquals(List.of(), TestEvents.query(store, TestEvents.kinds(1)));
        assertEquals(List.of(del.idHex()), TestEvents.query(store, TestEvents.authors(ALICE)));
        assertEquals(1, store.stats().events());
    }

    @Test
    void deletionByAddressRemovesVersionsUpToItsTime() {
        Event v = event(ALICE, 100, 30023, List.of(List.of("d", "post")), "v");
        write(v);
        String address = "30023:" + ALICE.publicKeyHex() + ":post";
        Event del = event(ALICE, 150, 5, List.of(List.of("a", address)), "");
        write(del);
        assertFalse(stored(v));
        Event older = event(ALICE, 150, 30023, List.of(List.of("d", "post")), "same second");
        Event newer = event(ALICE, 151, 30023, List.of(List.of("d", "post")), "later");
        assertEquals(List.of(DELETED_BEFORE, STORED), write(older, newer));
    }

    @Test
    void deletionByAddressKeepsNewerVersion() {
        Event v = event(ALICE, 300, 0, List.of(), "profile");
        write(v);
        write(event(ALICE, 200, 5, List.of(List.of("a", "0:" + ALICE.publicKeyHex() + ":")), ""));
        assertTrue(stored(v));
    }

    @Test
    void tombstoneRefusesReinsertion() {
        Event n = note(ALICE, 100, "gone");
        write(n);
        write(event(ALICE, 200, 5, List.of(List.of("e", n.idHex())), ""));
        assertEquals(List.of(DELETED_BEFORE), write(n));
    }

    @Test
    void deletionBeforeTheEventArrivesRefusesIt() {
        Event n = note(ALICE, 100, "late");
        Event del = event(ALICE, 50, 5, List.of(List.of("e", n.idHex())), "");
        assertEquals(List.of(STORED, DELETED_BEFORE), write(del, n));
    }

    @Test
    void deletionByAnotherAuthorIsIgnored() {
        Event n = note(ALICE, 100, "mine");
        write(n);
        Event bobDel = event(BOB, 200, 5, List.of(List.of("e", n.idHex()), List.of("a", "0:" + ALICE.publicKeyHex() + ":")), "");
        assertEquals(List.of(STORED), write(bobDel));
        assertTrue(stored(n));
        Event alice0 = event(ALICE, 100, 0, List.of(), "profile");
        assertEquals(List.of(STORED), write(alice0));
    }

    @Test
    void deletionDoesNotDeleteDeletions() {
        Event n = note(ALICE, 100, "x");
        Event del1 = event(ALICE, 200, 5, List.of(List.of("e", n.idHex())), "");
        Event del2 = event(ALICE, 300, 5, List.of(List.of("e", del1.idHex())), "");
        assertEquals(List.of(STORED, STORED, STORED), write(n, del1, del2));
        assertTrue(stored(del1));
        assertFalse(stored(n));
    }

    @Test
    void expiredIsRefused() {
        Event e = event(ALICE, 100, 1, List.of(List.of("expiration", Long.toString(NOW))), "bye");
        assertEquals(List.of(EXPIRED), write(e));
        assertFalse(stored(e));
    }

    @Test
    void sweepRemovesExpiredEvents() {
        Event soon = event(ALICE, 100, 1, List.of(List.of("expiration", Long.toString(NOW + 10)), List.of("t", "x")), "soon");
        Event later = event(ALICE, 100, 1, List.of(List.of("expiration", Long.toString(NOW + 100))), "later");
        Event forever = note(ALICE, 100, "forever");
        write(soon, later, forever);
        assertEquals(0, store.sweepExpired(NOW + 9));
        assertEquals(1, store.sweepExpired(NOW + 10));
        assertFalse(stored(soon));
        assertTrue(stored(later) && stored(forever));
        assertEquals(List.of(), TestEvents.query(store, TestEvents.tag('t', "x")));
        assertEquals(1, store.sweepExpired(NOW + 1000));
        assertEquals(1, store.stats().events());
    }

    @Test
    void ephemeralIsNotStored() {
        Event e = event(ALICE, 100, 20001, List.of(), "blink");
        assertEquals(List.of(EPHEMERAL_NOT_STORED), write(e));
        assertFalse(stored(e));
        assertEquals(0, store.stats().events());
    }

    @Test
    void batchOutcomesEqualOneByOne() {
        Event n = note(ALICE, 100, "n");
        Event r1 = event(ALICE, 100, 0, List.of(), "r1");
        Event r2 = event(ALICE, 200, 0, List.of(), "r2");
        Event del = event(ALICE, 300, 5, List.of(List.of("e", n.idHex())), "");
        Event eph = event(ALICE, 100, 20000, List.of(), "eph");
        Event exp = event(ALICE, 100, 1, List.of(List.of("expiration", "1")), "exp");
        List<Event> batch = List.of(n, r1, r2, r1, del, n, eph, exp, r2);
        List<WriteOutcome> together = store.write(batch, null, NOW);
        try (EventStore single = EventStore.open(TestEvents.config(dir.resolve("single")), () -> NOW)) {
            List<WriteOutcome> oneByOne = batch.stream().map(e -> single.write(List.of(e), null, NOW).get(0)).toList();
            assertEquals(oneByOne, together);
            assertEquals(TestEvents.query(single, TestEvents.filter()), TestEvents.query(store, TestEvents.filter()));
        }
        assertEquals(List.of(STORED, STORED, REPLACED_OLDER, SUPERSEDED, STORED, DELETED_BEFORE, EPHEMERAL_NOT_STORED,
                EXPIRED, DUPLICATE), together);
    }
}
