package dev.tern.store;

import static dev.tern.store.TestEvents.ALICE;
import static dev.tern.store.TestEvents.NOW;
import static dev.tern.store.TestEvents.authors;
import static dev.tern.store.TestEvents.config;
import static dev.tern.store.TestEvents.event;
import static dev.tern.store.TestEvents.ids;
import static dev.tern.store.TestEvents.kinds;
import static dev.tern.store.TestEvents.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Event;
import dev.tern.filter.Filter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NIP-40: an event whose expiration has passed is not served, although the writer's sweep has not yet
 * removed it: every read path (ids, authors, kinds, COUNT, both exports, get) leaves it out. The events
 * are written with the writer's clock at {@link TestEvents#NOW} (2023), when they had not expired; the
 * reads run on the real clock, long after.
 */
class ExpiredReadTest {
    @TempDir
    Path dir;

    private static Event expiring(int i, long expiration) {
        return event(ALICE, NOW, 1, List.of(List.of("expiration", Long.toString(expiration))), "note " + i);
    }

    private static void assertOnlyLive(EventStore store, Event live, Event expired) {
        List<String> liveOnly = List.of(live.idHex());
        assertEquals(liveOnly, query(store, ids(live, expired)), "REQ by ids");
        assertEquals(liveOnly, query(store, authors(ALICE)), "REQ by authors");
        assertEquals(liveOnly, query(store, kinds(1)), "REQ by kinds");
        assertEquals(liveOnly, query(store, Filter.ALL), "REQ for everything");
        assertEquals(1, store.count(List.of(kinds(1))), "COUNT by kinds (exact plan, no bodies read)");
        assertEquals(1, store.count(List.of(ids(live, expired))), "COUNT by ids");
        assertEquals(liveOnly, ids(store.export(null)), "export of everything");
        assertEquals(liveOnly, ids(store.export(authors(ALICE))), "export by filter");
        assertTrue(store.get(expired.id()).isEmpty(), "get by id");
        assertTrue(store.get(live.id()).isPresent());
    }

    @Test
    void expiredButNotSweptIsNotServed() {
        Event live = expiring(0, 4_102_444_800L); // 2100
        Event expired = expiring(1, NOW + 10);
        try (EventStore store = EventStore.open(config(dir))) {
            store.write(List.of(live, expired), null, NOW);
            assertOnlyLive(store, live, expired);
        }
    }

    @Test
    void moreExpiredThanHeldPerReadAreStillLeftOut() {
        Event live = expiring(0, 4_102_444_800L);
        List<Event> batch = new ArrayList<>(List.of(live));
        for (int i = 1; i <= ReadContext.MAX_EXPIRED_SERIALS; i++) batch.add(expiring(i, NOW + 10));
        try (EventStore store = EventStore.open(config(dir))) {
            store.write(batch, null, NOW);
            assertOnlyLive(store, live, batch.get(1));
        }
    }
}
