package dev.tern.relay;

import static dev.tern.relay.TestClient.authorFilter;
import static dev.tern.relay.TestClient.note;
import static dev.tern.relay.TestClient.now;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every configurable limit answers with a clear NOTICE, OK false or CLOSED and keeps the connection. */
class LimitsTest {
    @TempDir
    static Path dir;
    static TestRelay relay;

    @BeforeAll
    static void start() throws InterruptedException {
        RelayLimits d = TestRelay.limits();
        // max message 4096, 3 subscriptions, 2 filters of at most 3 values per list, max_limit 5, 4 tags, 100 characters, created_at within
        // [-3600, +60] s, 6 connections per address, 3 events per connection then about one a day
        relay = TestRelay.start(dir, TestRelay.config(AuthMode.NONE, new RelayLimits(4096, 3, 2, 3, 5, 3, 4, 100, 3600, 60,
                6, 0.00001, 3, d.maxEventsInFlight(), d.outboundBufferBytes(), d.slowConsumerGraceMillis())));
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    @Test
    void oversizedMessageGetsANotice() {
        try (TestClient c = new TestClient(relay.ws())) {
            c.send("[\"REQ\",\"big\",{\"#t\":[\"" + "x".repeat(5000) + "\"]}]");
            assertTrue(c.next().startsWith("[\"NOTICE\",\"invalid: message of "));
            assertEquals(List.of(), c.req("ok", "{\"kinds\":[9999]}"));
            Event big = note(KeyPair.generate(), "x".repeat(5000));
            assertTrue(c.publish(big).startsWith("[\"OK\",\"" + big.idHex() + "\",false,\"invalid: message of "));
        }
    }

    @Test
    void subscriptionsPerConnection() {
        try (TestClient c = new TestClient(relay.ws())) {
            for (int i = 0; i < 3; i++) c.req("s" + i, "{\"kinds\":[9999]}");
            c.req("s0", "{\"kinds\":[9998]}"); // replacing one does not count twice
            c.send("[\"REQ\",\"s3\",{\"kinds\":[9999]}]");
            assertTrue(c.next().startsWith("[\"CLOSED\",\"s3\",\"error: too many open subscriptions"));
            c.send("[\"CLOSE\",\"s1\"]");
            c.req("s3", "{\"kinds\":[9999]}");
        }
    }

    @Test
    void filtersPerReq() {
        try (TestClient c = new TestClient(relay.ws())) {
            c.send("[\"REQ\",\"f\",{\"kinds\":[1]},{\"kinds\":[2]},{\"kinds\":[3]}]");
            assertTrue(c.next().startsWith("[\"CLOSED\",\"f\",\"invalid: too many filters"));
        }
    }

    @Test
    void valuesPerFilterList() {
        try (TestClient c = new TestClient(relay.ws())) {
            c.send("[\"REQ\",\"v\",{\"kinds\":[1,2,3,4]}]");
            assertEquals("[\"CLOSED\",\"v\",\"invalid: too many values in 'kinds' (max 3)\"]", c.next());
            c.send("[\"REQ\",\"w\",{\"kinds\":[9001,9002,9003]}]"); // kinds no test here stores
            assertEquals("[\"EOSE\",\"w\"]", c.next());
        }
    }

    @Test
    void limitIsClampedAndDefaulted() {
        KeyPair k = KeyPair.generate();
        try (TestClient c = new TestClient(relay.ws())) {
            for (int i = 0; i < 3; i++) assertTrue(c.publish(note(k, "n" + i)).contains(",true,"));
        }
        try (TestClient c = new TestClient(relay.ws())) {
            for (int i = 3; i < 6; i++) assertTrue(c.publish(note(k, "n" + i)).contains(",true,"));
        }
        try (TestClient c = new TestClient(relay.ws())) {
            assertEquals(5, c.req("max", "{\"authors\":[\"" + k.publicKeyHex() + "\"],\"limit\":1000}").size());
            assertEquals(3, c.req("default", authorFilter(k)).size());
        }
    }

    @Test
    void eventShapeLimits() {
        KeyPair k = KeyPair.generate();
        long t = now();
        try (TestClient c = new TestClient(relay.ws())) {
            List<List<String>> tags = new ArrayList<>();
            for (int i = 0; i < 5; i++) tags.add(List.of("t", "t" + i));
            assertTrue(c.publish(Signer.sign(k, t, 1, tags, "")).contains(",false,\"invalid: too many tags"));
            assertTrue(c.publish(Signer.sign(k, t, 1, List.of(), "é".repeat(101))).contains(",false,\"invalid: content is longer"));
            assertTrue(c.publish(Signer.sign(k, t - 7200, 1, List.of(), "old")).contains(",false,\"invalid: created_at is more than 3600 seconds in the past"));
        }
        try (TestClient c = new TestClient(relay.ws())) {
            assertTrue(c.publish(Signer.sign(k, t + 600, 1, List.of(), "future")).contains(",false,\"invalid: created_at is more than 60 seconds in the future"));
            assertTrue(c.publish(Signer.sign(k, t, 1, List.of(), "é".repeat(100))).contains(",true,"));
        }
    }

    @Test
    void eventRatePerConnection() {
        KeyPair k = KeyPair.generate();
        try (TestClient c = new TestClient(relay.ws())) {
            for (int i = 0; i < 3; i++) assertTrue(c.publish(note(k, "r" + i)).contains(",true,"));
            Event over = note(k, "over");
            assertTrue(c.publish(over).contains(",false,\"rate-limited: "));
            assertEquals(List.of(), c.req("still-open", "{\"kinds\":[9999]}"));
        }
    }

    @Test
    void connectionsPerAddress() throws Exception {
        List<TestClient> open = new ArrayList<>();
        try {
            // other tests of this class may hold connections too; fill up to the limit of 6
            while (true) {
                HttpResponse<String> r = TestClient.HTTP.send(HttpRequest.newBuilder(relay.http("/healthz")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 429) break;
                if (open.size() > 6) throw new AssertionError("no per-address limit");
                open.add(new TestClient(relay.ws()));
            }
            assertThrows(RuntimeException.class, () -> new TestClient(relay.ws()));
        } finally {
            open.forEach(TestClient::close);
        }
    }
}
