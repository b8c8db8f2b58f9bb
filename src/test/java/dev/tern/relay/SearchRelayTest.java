package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NIP-50 over a real WebSocket: REQ and COUNT with search, refusals with reasons, live events, NIP-11. */
class SearchRelayTest {
    static final KeyPair ALICE = KeyPair.generate(new Random(11));
    static final KeyPair BOB = KeyPair.generate(new Random(12));

    @TempDir Path dir;

    @Test
    void reqAndCountSearchRankedWithTheOtherConditions() throws Exception {
        try (TestRelay relay = TestRelay.startWithSearch(dir); TestClient c = new TestClient(relay.ws())) {
            long now = TestClient.now();
            Event scattered = Signer.sign(ALICE, now - 3, 1, List.of(), "best of the apps on nostr, truly");
            Event phrase = Signer.sign(BOB, now - 2, 1, List.of(), "a list of the best nostr apps");
            Event other = Signer.sign(BOB, now - 1, 1, List.of(), "nothing related");
            for (Event e : List.of(scattered, phrase, other)) assertTrue(c.publish(e).contains("true"));
            relay.awaitSearchable();

            List<String> hits = c.req("s1", "{\"search\":\"best nostr apps\"}");
            assertEquals(List.of(phrase.idHex(), scattered.idHex()), hits.stream().map(TestClient::idOf).toList(),
                    "ranked by match, not by created_at");
            assertEquals(List.of(scattered.idHex()),
                    c.req("s2", "{\"search\":\"best nostr apps\",\"authors\":[\"" + ALICE.publicKeyHex() + "\"]}").stream()
                            .map(TestClient::idOf).toList());
            assertEquals(1, c.req("s3", "{\"search\":\"nostr\",\"limit\":1}").size(), "limit after ranking");
            assertEquals(3, c.req("s4", "{\"search\":\"nostr\"}", "{\"kinds\":[1]}").size(), "each event once across filters");

            c.send("[\"COUNT\",\"n1\",{\"search\":\"nostr apps\"}]");
            assertEquals("[\"COUNT\",\"n1\",{\"count\":2}]", c.next());
        }
    }

    @Test
    void badSearchesAreClosedWithAReasonAndTheConnectionStays() throws Exception {
        try (TestRelay relay = TestRelay.startWithSearch(dir); TestClient c = new TestClient(relay.ws())) {
            c.send("[\"REQ\",\"long\",{\"search\":\"" + "word ".repeat(10_000) + "\"}]");
            assertTrue(c.next().startsWith("[\"CLOSED\",\"long\",\"invalid: search is longer than"));
            c.send("[\"REQ\",\"type\",{\"search\":[\"x\"]}]");
            assertTrue(c.next().startsWith("[\"CLOSED\",\"type\",\"invalid: 'search' must be a string"));
            assertEquals(List.of(), c.req("stop", "{\"search\":\"the of and\"}"), "only stop words: no results");
            assertEquals(List.of(), c.req("ops", "{\"search\":\"*:* OR \\\"unbalanced\"}"));
            assertTrue(c.publish(TestClient.note(ALICE, "still connected")).contains("true"));
        }
    }

    @Test
    void liveEventsReachASearchOnlyWhenTheyMatchIt() throws Exception {
        try (TestRelay relay = TestRelay.startWithSearch(dir); TestClient c = new TestClient(relay.ws());
             TestClient publisher = new TestClient(relay.ws())) {
            assertEquals(List.of(), c.req("live", "{\"search\":\"pelican\"}"));
            Event miss = TestClient.note(BOB, "a heron at the lake");
            Event hit = TestClient.note(BOB, "two Pelicans at the lake");
            publisher.publish(miss);
            publisher.publish(hit);
            String got = c.next();
            assertEquals(hit.idHex(), TestClient.idOf(got));
            assertEquals(List.of(), c.barrier(), "the heron was not sent");
        }
    }

    @Test
    void nip11ListsNip50OnlyWhenSearchIsOn() throws Exception {
        try (TestRelay on = TestRelay.startWithSearch(dir.resolve("on")); TestRelay off = TestRelay.start(dir.resolve("off"))) {
            assertTrue(nip11(on).contains("50,"), nip11(on));
            assertTrue(!nip11(off).contains("50,"), nip11(off));
            try (TestClient c = new TestClient(off.ws())) {
                c.send("[\"REQ\",\"s\",{\"search\":\"x\"}]");
                assertTrue(c.next().startsWith("[\"CLOSED\",\"s\",\"unsupported:"), "search off: refused as unknown");
            }
        }
    }

    private static String nip11(TestRelay relay) throws Exception {
        return TestClient.HTTP.send(HttpRequest.newBuilder(relay.http("/")).header("Accept", "application/nostr+json").build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
