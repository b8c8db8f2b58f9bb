package dev.tern.relay;

import static dev.tern.relay.TestClient.authorFilter;
import static dev.tern.relay.TestClient.eventMessage;
import static dev.tern.relay.TestClient.idOf;
import static dev.tern.relay.TestClient.note;
import static dev.tern.relay.TestClient.now;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import dev.tern.store.StoreWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NIP-01 (and NIP-09/40/45 outcomes) end to end against one real relay. */
class RelayProtocolTest {
    @TempDir
    static Path dir;
    static TestRelay relay;

    @BeforeAll
    static void start() throws InterruptedException {
        relay = TestRelay.start(dir);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        relay.close();
    }

    private static String ok(String id, boolean accepted, String message) {
        return "[\"OK\",\"" + id + "\"," + accepted + ",\"" + message + "\"]";
    }

    /** {@code e}'s JSON with the first hex digit of its signature changed: same id, a signature that fails. */
    private static String withOtherSignature(Event e) {
        String json = new String(e.json(), java.nio.charset.StandardCharsets.UTF_8);
        return json.replaceFirst("\"sig\":\"(.)", "\"sig\":\"" + (json.contains("\"sig\":\"0") ? "1" : "0"));
    }

    @Test
    void storedThenDuplicate() {
        KeyPair k = KeyPair.generate();
        Event e = note(k, "hello");
        try (TestClient c = new TestClient(relay.ws())) {
            assertEquals(ok(e.idHex(), true, ""), c.publish(e));
            assertEquals(ok(e.idHex(), true, "duplicate: already have this event"), c.publish(e));
        }
    }

    @Test
    void aStoredEventSentAgainIsADuplicateBeforeItsSignatureIsChecked() {
        KeyPair k = KeyPair.generate();
        Event e = note(k, "again");
        String otherSig = withOtherSignature(e);
        try (TestClient c = new TestClient(relay.ws())) {
            c.send("[\"EVENT\"," + otherSig + "]");
            assertEquals(ok(e.idHex(), false, "invalid: signature verification failed"), c.next(), "not stored: checked");
            assertEquals(ok(e.idHex(), true, ""), c.publish(e));
            // the id is the hash of the content, so a stored id means this content is stored, whatever the signature
            c.send("[\"EVENT\"," + otherSig + "]");
            assertEquals(ok(e.idHex(), true, "duplicate: already have this event"), c.next());
        }
    }

    /** NIP-40: a stored event whose expiration has passed, sent again before the sweep, is refused as expired. */
    @Test
    void aStoredEventSentAgainAfterItExpiredIsExpiredNotDuplicate() throws InterruptedException {
        KeyPair k = KeyPair.generate();
        long t = now();
        Event e = Signer.sign(k, t, 1, List.of(List.of("expiration", Long.toString(t + 2))), "brief");
        try (TestClient c = new TestClient(relay.ws())) {
            assertEquals(ok(e.idHex(), true, ""), c.publish(e));
            while (now() < t + 2) Thread.sleep(50); // the relay's sweep runs once a minute: it is still stored
            assertEquals(ok(e.idHex(), false, "invalid: event has expired"), c.publish(e));
        }
    }

    /**
     * The query of a REQ can read committed events and reach EOSE before the writer has handed them to the
     * fan-out: they were sent as stored, and must not come again live. The writer is held between the two.
     */
    @Test
    void anEventTheQueryReadIsNotSentAgainWhenItsFanOutComesAfterEose() throws InterruptedException {
        KeyPair k = KeyPair.generate();
        List<Event> events = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) events.add(note(k, "fanned out late " + i));
        CountDownLatch writerFree = new CountDownLatch(1), committed = new CountDownLatch(1), eoseSent = new CountDownLatch(1);
        StoreWriter.CommitListener lateFanOut = (e, outcome, sequence) -> {
            // runs after the relay's own listener for the same event, so the next events' fan-outs wait here
            if (Arrays.equals(e.pubkey(), k.publicKey()) && committed.getCount() > 0) {
                committed.countDown();
                await(eoseSent);
            }
        };
        relay.writer.addListener(lateFanOut);
        try (TestClient pub = new TestClient(relay.ws()); TestClient sub = new TestClient(relay.ws())) {
            assertTrue(relay.writer.offerTask(store -> await(writerFree)), "the writer is held, so the events commit together");
            for (Event e : events) pub.send(eventMessage(e));
            pub.barrier(); // the connection has handed all five to the writer
            writerFree.countDown();
            assertTrue(committed.await(10, TimeUnit.SECONDS));
            sub.send("[\"REQ\",\"late\"," + authorFilter(k) + "]");
            List<String> got = new java.util.ArrayList<>(sub.until(m -> m.equals("[\"EOSE\",\"late\"]")));
            eoseSent.countDown();
            int[] oks = {0};
            pub.until(m -> m.startsWith("[\"OK\"") && ++oks[0] == events.size());
            got.addAll(sub.barrier());
            List<String> ids = got.stream().filter(m -> m.startsWith("[\"EVENT\",\"late\"")).map(TestClient::idOf).sorted().toList();
            assertEquals(events.stream().map(Event::idHex).sorted().toList(), ids);
        } finally {
            writerFree.countDown();
            eoseSent.countDown();
            relay.writer.removeListener(lateFanOut);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void badSignatureAndBadIdAreInvalid() {
        KeyPair k = KeyPair.generate();
        Event e = note(k, "signed");
        String badSig = withOtherSignature(e);
        String badContent = new String(e.json(), java.nio.charset.StandardCharsets.UTF_8).replace("\"signed\"", "\"forged\"");
        try (TestClient c = new TestClient(relay.ws())) {
            c.send("[\"EVENT\"," + badSig + "]");
            assertTrue(c.next().startsWith("[\"OK\",\"" + e.idHex() + "\",false,\"invalid: "));
            c.send("[\"EVENT\"," + badContent + "]");
            assertTrue(c.next().startsWith("[\"OK\",\"" + e.idHex() + "\",false,\"invalid: "));
        }
    }

    @Test
    void reqSendsStoredNewestFirstThenEoseThenLive() {
        KeyPair k = KeyPair.generate();
        long t = now();
        Event a = Signer.sign(k, t - 30, 1, List.of(), "a");
        Event b = Signer.sign(k, t - 20, 1, List.of(), "b");
        Event c = Signer.sign(k, t - 10, 1, List.of(), "c");
        try (TestClient pub = new TestClient(relay.ws()); TestClient sub = new TestClient(relay.ws())) {
            for (Event e : List.of(a, b, c)) pub.publish(e);
            List<String> stored = sub.req("s1", authorFilter(k));
            assertEquals(List.of(c.idHex(), b.idHex(), a.idHex()), stored.stream().map(TestClient::idOf).toList());
            assertEquals("[\"EVENT\",\"s1\"," + new String(c.json(), java.nio.charset.StandardCharsets.UTF_8) + "]", stored.getFirst());
            Event live = note(k, "live");
            pub.publish(live);
            String got = sub.next();
            assertTrue(got.startsWith("[\"EVENT\",\"s1\","), got);
            assertEquals(live.idHex(), idOf(got));
        }
    }

    @Test
    void closeEndsTheSubscription() {
        KeyPair k = KeyPair.generate();
        try (TestClient c = new TestClient(relay.ws())) {
            c.req("gone", authorFilter(k));
            c.req("kept", authorFilter(k));
            c.send("[\"CLOSE\",\"gone\"]");
            c.publish(note(k, "after close"));
            List<String> rest = c.barrier();
            assertEquals(1, rest.stream().filter(m -> m.startsWith("[\"EVENT\",\"kept\"")).count(), rest.toString());
            assertEquals(0, rest.stream().filter(m -> m.startsWith("[\"EVENT\",\"gone\"")).count(), rest.toString());
        }
    }

    @Test
    void reqWithAnOpenIdReplacesIt() {
        KeyPair k = KeyPair.generate();
        try (TestClient c = new TestClient(relay.ws())) {
            c.req("s", "{\"authors\":[\"" + k.publicKeyHex() + "\"],\"kinds\":[1]}");
            c.req("s", "{\"authors\":[\"" + k.publicKeyHex() + "\"],\"kinds\":[7]}");
            Event one = Signer.sign(k, now(), 1, List.of(), "kind 1");
            Event seven = Signer.sign(k, now(), 7, List.of(), "+");
            c.publish(one);
            c.publish(seven);
            List<String> events = c.barrier().stream().filter(m -> m.startsWith("[\"EVENT\"")).toList();
            assertEquals(List.of(seven.idHex()), events.stream().map(TestClient::idOf).toList());
        }
    }

    @Test
    void garbageGetsANoticeAndTheConnectionStaysOpen() {
        try (TestClient c = new TestClient(relay.ws())) {
            for (String bad : List.of("hello", "[]", "{\"a\":1}", "[\"FOO\",1]", "[\"REQ\"]", "[\"REQ\",\"\",{}]",
                    "[\"REQ\",\"" + "x".repeat(65) + "\",{}]", "[\"EVENT\",1]", "[\"CLOSE\"]", "[\"EVENT\",{\"id\":")) {
                c.send(bad);
                String m = c.next();
                assertTrue(m.startsWith("[\"NOTICE\",\"invalid: "), bad + " -> " + m);
            }
            c.req("x".repeat(64), "{\"limit\":1}");
            Event e = note(KeyPair.generate(), "still open");
            assertTrue(c.publish(e).contains(",true,"));
        }
    }

    @Test
    void badFilterGetsClosed() {
        try (TestClient c = new TestClient(relay.ws())) {
            c.send("[\"REQ\",\"f\",{\"kinds\":[\"one\"]}]");
            assertTrue(c.next().startsWith("[\"CLOSED\",\"f\",\"invalid: "));
            c.send("[\"REQ\",\"g\",{\"foo\":1}]");
            assertTrue(c.next().startsWith("[\"CLOSED\",\"g\",\"unsupported: "));
        }
    }

    @Test
    void replaceableOutcomes() {
        KeyPair k = KeyPair.generate();
        long t = now();
        Event newer = Signer.sign(k, t, 0, List.of(), "{\"name\":\"new\"}");
        Event older = Signer.sign(k, t - 100, 0, List.of(), "{\"name\":\"old\"}");
        Event newest = Signer.sign(k, t + 1, 0, List.of(), "{\"name\":\"newest\"}");
        try (TestClient c = new TestClient(relay.ws())) {
            assertEquals(ok(newer.idHex(), true, ""), c.publish(newer));
            assertEquals(ok(older.idHex(), true, "duplicate: a newer version of this replaceable event is already stored"),
                    c.publish(older));
            assertEquals(ok(newest.idHex(), true, ""), c.publish(newest));
            assertEquals(List.of(newest.idHex()), c.req("p", "{\"authors\":[\"" + k.publicKeyHex() + "\"],\"kinds\":[0]}")
                    .stream().map(TestClient::idOf).toList());
        }
    }

    @Test
    void deletedAndExpiredEventsAreRefused() {
        KeyPair k = KeyPair.generate();
        long t = now();
        Event target = Signer.sign(k, t - 10, 1, List.of(), "to be deleted");
        Event deletion = Signer.sign(k, t, 5, List.of(List.of("e", target.idHex())), "");
        Event expired = Signer.sign(k, t - 10, 1, List.of(List.of("expiration", Long.toString(t - 5))), "gone");
        try (TestClient c = new TestClient(relay.ws())) {
            assertEquals(ok(target.idHex(), true, ""), c.publish(target));
            assertEquals(ok(deletion.idHex(), true, ""), c.publish(deletion));
            assertEquals(ok(target.idHex(), false, "blocked: this event was deleted by its author (NIP-09)"), c.publish(target));
            assertEquals(ok(expired.idHex(), false, "invalid: event has expired"), c.publish(expired));
            assertEquals(List.of(deletion.idHex()), c.req("d", authorFilter(k)).stream().map(TestClient::idOf).toList());
        }
    }

    @Test
    void ephemeralEventsAreDeliveredButNotStored() {
        KeyPair k = KeyPair.generate();
        Event e = Signer.sign(k, now(), 20001, List.of(), "ephemeral");
        try (TestClient pub = new TestClient(relay.ws()); TestClient sub = new TestClient(relay.ws())) {
            sub.req("eph", authorFilter(k));
            assertEquals(ok(e.idHex(), true, ""), pub.publish(e));
            assertEquals(e.idHex(), idOf(sub.next()));
            assertEquals(List.of(), pub.req("later", authorFilter(k)));
        }
    }

    @Test
    void authEventsAreNeitherStoredNorBroadcast() {
        KeyPair k = KeyPair.generate();
        Event e = Signer.sign(k, now(), 22242, List.of(), "");
        try (TestClient c = new TestClient(relay.ws())) {
            assertTrue(c.publish(e).startsWith("[\"OK\",\"" + e.idHex() + "\",false,\"invalid: "));
        }
    }

    @Test
    void countReturnsTheNumberOfMatches() {
        KeyPair k = KeyPair.generate();
        try (TestClient c = new TestClient(relay.ws())) {
            for (int i = 0; i < 4; i++) c.publish(note(k, "n" + i));
            c.send("[\"COUNT\",\"c\"," + authorFilter(k) + "]");
            assertEquals("[\"COUNT\",\"c\",{\"count\":4}]", c.next());
        }
    }

    @Test
    void eachEventReachesASubscriptionOnceEvenIfSeveralFiltersMatch() {
        KeyPair k = KeyPair.generate();
        try (TestClient c = new TestClient(relay.ws())) {
            Event e = Signer.sign(k, now(), 1, List.of(List.of("t", "once")), "x");
            c.req("m", authorFilter(k), "{\"kinds\":[1],\"#t\":[\"once\"]}", "{\"ids\":[\"" + e.idHex() + "\"]}");
            c.publish(e);
            List<String> got = c.barrier().stream().filter(m -> m.startsWith("[\"EVENT\",\"m\"")).toList();
            assertEquals(1, got.size(), got.toString());
        }
    }

    /**
     * A REQ that arrives during a burst of EVENTs gets each event once, stored or live. Rounds, because the
     * races (a commit read by the query before its fan-out reaches the loop, on either side of EOSE) are timing.
     */
    @Test
    void storedAndLiveEventsAreNotDuplicatedAroundEose() {
        try (TestClient pub = new TestClient(relay.ws()); TestClient sub = new TestClient(relay.ws())) {
            for (int round = 0; round < 10; round++) {
                KeyPair k = KeyPair.generate();
                List<Event> burst = new java.util.ArrayList<>();
                for (int i = 0; i < 40; i++) burst.add(note(k, "burst " + i));
                String subId = "race" + round;
                for (Event e : burst) pub.send(eventMessage(e));
                sub.send("[\"REQ\",\"" + subId + "\"," + authorFilter(k) + "]");
                int[] oks = {0};
                pub.until(m -> m.startsWith("[\"OK\"") && ++oks[0] == burst.size());
                List<String> got = new java.util.ArrayList<>(sub.until(m -> m.equals("[\"EOSE\",\"" + subId + "\"]")));
                got.addAll(sub.barrier());
                List<String> ids = got.stream().filter(m -> m.startsWith("[\"EVENT\",\"" + subId + "\"")).map(TestClient::idOf)
                        .sorted().toList();
                assertEquals(burst.stream().map(Event::idHex).sorted().toList(), ids, "round " + round);
                sub.send("[\"CLOSE\",\"" + subId + "\"]");
            }
        }
    }
}
