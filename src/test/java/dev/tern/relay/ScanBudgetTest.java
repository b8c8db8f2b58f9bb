package dev.tern.relay;

import static dev.tern.relay.TestClient.note;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.KeyPair;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A REQ cut short by the store's scan budget says so after EOSE, and its subscription stays open for new events. */
class ScanBudgetTest {
    @TempDir
    Path dir;

    @Test
    void aTruncatedReqIsToldSoAndKeepsItsLiveEvents() throws Exception {
        try (TestRelay relay = TestRelay.withScanBudget(dir, 5); TestClient c = new TestClient(relay.ws())) {
            KeyPair k = KeyPair.generate();
            for (int i = 0; i < 12; i++) assertTrue(c.publish(note(k, "note " + i)).contains(",true,"));

            List<String> stored = c.req("cut", "{\"kinds\":[1]}");
            assertTrue(stored.size() <= 5, stored.size() + " events");
            assertEquals("[\"NOTICE\",\"" + RelayConnection.truncatedNotice("cut") + "\"]", c.next());

            // the subscription stays open: a new event still arrives
            var fresh = note(k, "after the notice");
            assertTrue(c.publish(fresh).contains(",true,"));
            List<String> live = c.until(m -> m.startsWith("[\"EVENT\",\"cut\""));
            assertTrue(live.getLast().contains(fresh.idHex()), live.toString());

            // a REQ within the budget ends with EOSE alone
            assertEquals(1, c.req("small", "{\"ids\":[\"" + fresh.idHex() + "\"]}").size());
            assertEquals(List.of(), c.barrier().stream().filter(m -> m.startsWith("[\"NOTICE\"")).toList());
        }
    }
}
