package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.KeyPair;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping the relay tells every subscription why, then closes the connections; acknowledged events stay stored. */
class ShutdownTest {
    @TempDir
    Path dir;

    @Test
    void subscriptionsGetClosedAndWritesSurvive() throws Exception {
        KeyPair k = KeyPair.generate();
        var e = TestClient.note(k, "durable");
        TestRelay relay = TestRelay.start(dir.resolve("second"));
        try (TestClient c = new TestClient(relay.ws())) {
            assertTrue(c.publish(e).contains(",true,"));
            c.req("live", TestClient.authorFilter(k));
            relay.close();
            assertEquals("[\"CLOSED\",\"live\",\"error: the relay is shutting down\"]", c.next());
        }
        try (TestRelay again = TestRelay.start(dir.resolve("second")); TestClient c = new TestClient(again.ws())) {
            assertEquals(1, c.req("back", TestClient.authorFilter(k)).size());
        }
    }
}
