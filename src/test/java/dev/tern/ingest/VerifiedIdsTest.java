package dev.tern.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import dev.tern.store.EventStore;
import dev.tern.store.TestWrites;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifiedIdsTest {
    private static final KeyPair KEYS = KeyPair.generate(new Random(7));

    @TempDir
    Path dir;

    private static List<Event> notes(int n) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < n; i++) events.add(Signer.sign(KEYS, 1_700_000_000L + i, 1, List.of(), "note " + i));
        return events;
    }

    private static byte[] otherSignature(Event e) {
        byte[] sig = e.sig().clone();
        sig[63] ^= 1;
        return sig;
    }

    @Test
    void holdsOnlyStoredEventsWithTheSameSignature() throws Exception {
        List<Event> events = notes(3);
        try (EventStore store = TestStores.open(dir, false)) {
            TestWrites.write(store, events.subList(0, 2));
            VerifiedIds ids = new VerifiedIds(store, 1 << 10).preloaded();
            assertEquals(0, ids.size(), "a serving store is not scanned");
            Event stored = events.get(0), inFlight = events.get(2);
            assertFalse(ids.holds(stored.id(), stored.sig()), "not in the filter yet");
            ids.verified(stored.id());
            ids.verified(inFlight.id());
            assertTrue(ids.holds(stored.id(), stored.sig()));
            assertFalse(ids.holds(stored.id(), otherSignature(stored)), "another signature is checked");
            assertFalse(ids.holds(inFlight.id(), inFlight.sig()), "verified but not stored: checked again");
        }
    }

    @Test
    void aBulkLoadPreloadsTheStoredIdsUpToItsCapacity() throws Exception {
        List<Event> events = notes(40);
        try (EventStore store = TestStores.open(dir, true)) {
            TestWrites.write(store, events);
            VerifiedIds ids = new VerifiedIds(store, 8 * 4).preloaded(); // 4 words: 25 ids at 10 bits each
            assertEquals(256 / VerifiedIds.BITS_PER_ID, ids.size());
            assertFalse(ids.add(events.get(0).id()), "full: takes no more");
            long held = events.stream().filter(e -> ids.holds(e.id(), e.sig())).count();
            assertTrue(held >= ids.size() && held <= events.size(), held + " held");
        }
    }
}
