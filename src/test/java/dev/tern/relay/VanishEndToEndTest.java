package dev.tern.relay;

import static dev.tern.relay.AuthTest.authenticate;
import static dev.tern.relay.TestClient.authorFilter;
import static dev.tern.relay.TestClient.idOf;
import static dev.tern.relay.TestClient.note;
import static dev.tern.relay.TestClient.now;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NIP-62 over a real WebSocket: a request to vanish naming this relay empties the author's history for good. */
class VanishEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void aRequestToVanishRemovesTheAuthorsEventsAndWrapsAndRefusesThemAgain() throws Exception {
        KeyPair alice = KeyPair.generate();
        KeyPair bob = KeyPair.generate();
        try (TestRelay relay = TestRelay.start(dir); TestClient c = new TestClient(relay.ws())) {
            Event hello = Signer.sign(alice, now() - 10, 1, List.of(), "hello");
            Event wrap = DmPrivacyEndToEndTest.wrapTo(alice, "to alice");
            Event bobs = note(bob, "bob stays");
            for (Event e : List.of(hello, wrap, bobs)) assertTrue(c.publish(e).contains(",true,"));
            Event elsewhere = Signer.sign(alice, now(), 62, List.of(List.of("relay", "wss://elsewhere.example")), "");
            assertTrue(c.publish(elsewhere).contains(",true,"));
            assertEquals(2, c.req("before", authorFilter(alice)).size(), "a request naming another relay changes nothing here");

            Event request = Signer.sign(alice, now(), 62, List.of(List.of("relay", relay.config.info().relayUrl())), "forget me");
            assertTrue(c.publish(request).contains(",true,"));
            assertEquals(List.of(elsewhere.idHex(), request.idHex()).stream().sorted().toList(),
                    c.req("after", authorFilter(alice)).stream().map(TestClient::idOf).sorted().toList(), "only the requests are kept");
            assertTrue(authenticate(c, alice).contains(",true,"));
            assertEquals(List.of(), c.req("w", "{\"kinds\":[1059]}"), "the wraps to alice are gone");
            assertEquals(List.of(bobs.idHex()), c.req("b", authorFilter(bob)).stream().map(TestClient::idOf).toList());
            assertTrue(c.publish(hello).contains(",false,\"blocked: its author asked this relay to vanish (NIP-62)\""));
            Event sameSecond = Signer.sign(alice, request.createdAt(), 1, List.of(), "as old as the request");
            assertTrue(c.publish(sameSecond).contains(",false,\"blocked: "), "created_at not after the request");
            Event later = Signer.sign(alice, request.createdAt() + 5, 1, List.of(), "later");
            assertTrue(c.publish(later).contains(",true,"), "events after the request are welcome");
            assertEquals(later.idHex(), idOf(c.req("l", "{\"kinds\":[1],\"authors\":[\"" + alice.publicKeyHex() + "\"]}").get(0)));
        }
    }
}
