package dev.tern.relay;

import static dev.tern.relay.TestClient.authorFilter;
import static dev.tern.relay.TestClient.note;
import static dev.tern.relay.TestClient.now;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NIP-42 AUTH in each mode, and NIP-70 protected events. */
class AuthTest {
    @TempDir
    Path dir;

    static Event authEvent(KeyPair k, String challenge, String relayUrl, long createdAt, int kind) {
        return Signer.sign(k, createdAt, kind, List.of(List.of("relay", relayUrl), List.of("challenge", challenge)), "");
    }

    static String auth(TestClient c, Event e) {
        c.send("[\"AUTH\"," + new String(e.json(), StandardCharsets.UTF_8) + "]");
        String prefix = "[\"OK\",\"" + e.idHex() + "\"";
        return c.until(m -> m.startsWith(prefix)).getLast();
    }

    static String authenticate(TestClient c, KeyPair k) {
        return auth(c, authEvent(k, c.challenge, "wss://127.0.0.1/", now(), 22242));
    }

    @Test
    void protectedEventsOnlyFromTheirAuthenticatedAuthor() throws Exception {
        try (TestRelay relay = TestRelay.start(dir); TestClient c = new TestClient(relay.ws())) {
            KeyPair alice = KeyPair.generate();
            KeyPair bob = KeyPair.generate();
            Event mine = Signer.sign(alice, now(), 1, List.of(List.of("-")), "only alice");
            Event bobs = Signer.sign(bob, now(), 1, List.of(List.of("-")), "only bob");
            assertTrue(c.publish(mine).contains(",false,\"auth-required: "), "unauthenticated");
            assertTrue(c.publish(note(bob, "not protected")).contains(",true,"), "open relay accepts plain events");
            assertTrue(authenticate(c, alice).contains(",true,\"\""));
            assertTrue(c.publish(mine).contains(",true,"));
            assertTrue(c.publish(bobs).contains(",false,\"restricted: "));
        }
    }

    @Test
    void badAuthEventsAreRefused() throws Exception {
        try (TestRelay relay = TestRelay.start(dir); TestClient c = new TestClient(relay.ws())) {
            KeyPair k = KeyPair.generate();
            assertTrue(auth(c, authEvent(k, "wrong", "ws://127.0.0.1:3334", now(), 22242)).contains(",false,\"invalid: "));
            assertTrue(auth(c, authEvent(k, c.challenge, "wss://elsewhere.example/", now(), 22242)).contains(",false,\"invalid: "));
            assertTrue(auth(c, authEvent(k, c.challenge, "ws://127.0.0.1:3334", now() - 3600, 22242)).contains(",false,\"invalid: "));
            assertTrue(auth(c, authEvent(k, c.challenge, "ws://127.0.0.1:3334", now(), 1)).contains(",false,\"invalid: "));
            Event protectedNote = Signer.sign(k, now(), 1, List.of(List.of("-")), "still unauthenticated");
            assertTrue(c.publish(protectedNote).contains(",false,\"auth-required: "));
        }
    }

    @Test
    void writeModeNeedsAuthForEventsOnly() throws Exception {
        try (TestRelay relay = TestRelay.start(dir, TestRelay.config(AuthMode.WRITE, TestRelay.limits()));
             TestClient c = new TestClient(relay.ws())) {
            KeyPair k = KeyPair.generate();
            Event e = note(k, "needs auth");
            assertTrue(c.publish(e).contains(",false,\"auth-required: "));
            assertEquals(List.of(), c.req("r", authorFilter(k)));
            assertTrue(authenticate(c, KeyPair.generate()).contains(",true,"));
            assertTrue(c.publish(e).contains(",true,\"\""));
        }
    }

    @Test
    void allModeNeedsAuthForReadsToo() throws Exception {
        try (TestRelay relay = TestRelay.start(dir, TestRelay.config(AuthMode.ALL, TestRelay.limits()));
             TestClient c = new TestClient(relay.ws())) {
            KeyPair k = KeyPair.generate();
            c.send("[\"REQ\",\"r\"," + authorFilter(k) + "]");
            assertTrue(c.next().startsWith("[\"CLOSED\",\"r\",\"auth-required: "));
            c.send("[\"COUNT\",\"n\"," + authorFilter(k) + "]");
            assertTrue(c.next().startsWith("[\"CLOSED\",\"n\",\"auth-required: "));
            assertTrue(c.publish(note(k, "x")).contains(",false,\"auth-required: "));
            assertTrue(authenticate(c, k).contains(",true,"));
            assertTrue(c.publish(note(k, "x")).contains(",true,"));
            assertEquals(1, c.req("r", authorFilter(k)).size());
        }
    }
}
