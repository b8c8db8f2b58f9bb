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
    void aCountOverASearchAndAPlainFilterCountsEachEventOnce() throws Exception {
        try (TestRelay relay = TestRelay.startWithSearch(dir); TestClient c = new TestClient(relay.ws())) {
            for (Event e : List.of(TestClient.note(ALICE, "puffins nest here"), TestClient.note(BOB, "puffins again"),
                    TestClient.note(BOB, "no seabirds"))) {
                assertTrue(c.publish(e).contains("true"));
            }
            relay.awaitSearchable();
            // NIP-45: a COUNT over several filters counts distinct events
            c.send("[\"COUNT\",\"n\",{\"search\":\"puffins\"},{\"authors\":[\"" + BOB.publicKeyHex() + "\"]}]");
            assertEquals("[\"COUNT\",\"n\",{\"count\":3}]", c.next());
            c.send("[\"COUNT\",\"k\",{\"search\":\"puffins\"},{\"kinds\":[1]}]");
            assertEquals("[\"COUNT\",\"k\",{\"count\":3}]", c.next());
        }
    }

    @Test
    void searchesWithPrivateKindsStaySearchesAndHideTheMessages() throws Exception {
        try (TestRelay relay = TestRelay.startWithSearch(dir); TestClient c = new TestClient(relay.ws())) {
            Event match = TestClient.note(ALICE, "otters hold hands");
            Event other = TestClient.note(ALICE, "nothing to see");
            Event dm = Signer.sign(ALICE, TestClient.now(), 4, List.of(List.of("p", BOB.publicKeyHex())), "otters");
            for (Event e : List.of(match, other, dm)) assertTrue(c.publish(e).contains("true"));
            relay.awaitSearchable();
            // unauthenticated: the DM kind is taken out of the filter (NIP-42/04), and what is left is still a search
            assertEquals(List.of(match.idHex()), c.req("m", "{\"search\":\"otters\",\"kinds\":[1,4]}").stream()
                    .map(TestClient::idOf).toList());
            c.send("[\"REQ\",\"d\",{\"search\":\"otters\",\"kinds\":[4]}]");
            assertTrue(c.next().startsWith("[\"CLOSED\",\"d\",\"auth-required: "));
        }
    }

    @Test
    void aRequestToVanishEmptiesTheAuthorsSearchResults() throws Exception {
        try (TestRelay relay = TestRelay.startWithSearch(dir); TestClient c = new TestClient(relay.ws())) {
            Event alices = Signer.sign(ALICE, TestClient.now() - 10, 1, List.of(), "kayak on the ice");
            Event bobs = TestClient.note(BOB, "kayak everywhere");
            for (Event e : List.of(alices, bobs)) assertTrue(c.publish(e).contains("true"));
            relay.awaitSearchable();
            assertEquals(2, c.req("before", "{\"search\":\"kayak\"}").size());
            // NIP-62: everything ALICE published here up to the request goes, from search results too
            Event vanish = Signer.sign(ALICE, TestClient.now(), 62, List.of(List.of("relay", relay.config.info().relayUrl())), "");
            assertTrue(c.publish(vanish).contains("true"));
            assertEquals(List.of(bobs.idHex()), c.req("after", "{\"search\":\"kayak\"}").stream().map(TestClient::idOf).toList());
            c.send("[\"COUNT\",\"n\",{\"search\":\"kayak\"}]");
            assertEquals("[\"COUNT\",\"n\",{\"count\":1}]", c.next());
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
