package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import dev.tern.store.TestWrites;
import dev.tern.sync.SyncSettings;
import dev.tern.testing.NodeClients;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NIP-77 on the relay's WebSocket: nostr-tools' client finds exactly the differences; bad input gets NEG-ERR. */
class NegentropyRelayTest {
    /** An empty set's first message: one range up to infinity listing no ids. */
    private static final String EMPTY_SET = "6100000200";
    private static final Pattern ID = Pattern.compile("\"([0-9a-f]{64})\"");
    @TempDir
    Path dir;

    @Test
    void nostrToolsFindsExactlyTheDifferences() throws Exception {
        NodeClients.require();
        try (TestRelay relay = TestRelay.start(dir.resolve("data"))) {
            List<Event> notes = store(relay, 300);
            // the client holds the first 200 notes and 30 events the relay never saw
            StringBuilder items = new StringBuilder("[");
            Set<String> clientOnly = new HashSet<>();
            Random r = new Random(5);
            for (int i = 0; i < 230; i++) {
                String id;
                long createdAt;
                if (i < 200) {
                    id = notes.get(i).idHex();
                    createdAt = notes.get(i).createdAt();
                } else {
                    byte[] b = new byte[32];
                    r.nextBytes(b);
                    id = dev.tern.event.Hex.encode(b);
                    createdAt = 1_700_000_000L + r.nextInt(20);
                    clientOnly.add(id);
                }
                items.append(i == 0 ? "" : ",").append("{\"created_at\":").append(createdAt).append(",\"id\":\"").append(id).append("\"}");
            }
            Path file = dir.resolve("items.json");
            Files.writeString(file, items.append("]"));
            NodeClients.Result res = NodeClients.run(Duration.ofSeconds(60), "negentropy-diff.mjs", relay.ws().toString(),
                    "{\"kinds\":[1]}", file.toAbsolutePath().toString()).assertSucceeded();
            String json = res.output().lines().filter(l -> l.startsWith("{\"have\"")).findFirst().orElseThrow(() -> new AssertionError(res.output()));
            String have = json.substring(0, json.indexOf("\"need\""));
            String need = json.substring(json.indexOf("\"need\""));
            Set<String> relayOnly = new HashSet<>();
            for (Event e : notes.subList(200, 300)) relayOnly.add(e.idHex());
            assertEquals(clientOnly, ids(have));
            assertEquals(relayOnly, ids(need));
        }
    }

    @Test
    void malformedMessagesGetNegErrAndTheConnectionSurvives() throws Exception {
        try (TestRelay relay = TestRelay.start(dir.resolve("data")); TestClient c = new TestClient(relay.ws())) {
            store(relay, 40);
            assertReason(c, "[\"NEG-OPEN\",\"a\",{},\"zz\"]", "a", "invalid: the negentropy message must be a hex string");
            assertReason(c, "[\"NEG-OPEN\",\"a\",{},\"6\"]", "a", "invalid: the negentropy message must be a hex string");
            assertReason(c, "[\"NEG-OPEN\",\"a\",{}]", "a", "invalid: the negentropy message must be a hex string");
            assertReason(c, "[\"NEG-OPEN\",\"a\",{},\"62\"]", "a", "invalid: negentropy protocol version 0x62 is not supported");
            assertReason(c, "[\"NEG-OPEN\",\"a\",{},\"\"]", "a", "invalid: empty negentropy message");
            assertReason(c, "[\"NEG-OPEN\",\"a\",{},\"6100\"]", "a", "invalid: negentropy message ends in the middle");
            assertReason(c, "[\"NEG-OPEN\",\"a\",{},\"61000009\"]", "a", "invalid: unknown negentropy range mode 9");
            assertReason(c, "[\"NEG-OPEN\",\"a\",{\"kinds\":[\"x\"]},\"" + EMPTY_SET + "\"]", "a", "invalid:");
            assertReason(c, "[\"NEG-OPEN\",\"a\",\"{}\",\"" + EMPTY_SET + "\"]", "a", "invalid: the second element of NEG-OPEN");
            assertReason(c, "[\"NEG-MSG\",\"nope\",\"" + EMPTY_SET + "\"]", "nope", "closed: no open negentropy session");
            String huge = "61" + "00".repeat(RelayLimits.DEFAULTS.maxMessageBytes() / 2);
            assertReason(c, "[\"NEG-OPEN\",\"big\",{},\"" + huge + "\"]", "big", "invalid: message of");
            // a session whose later message is malformed is closed; a NEG-MSG for it then finds nothing
            assertTrue(negAnswer(c, "[\"NEG-OPEN\",\"s\",{},\"" + EMPTY_SET + "\"]", "s").startsWith("[\"NEG-MSG\",\"s\",\"61"));
            assertReason(c, "[\"NEG-MSG\",\"s\",\"61" + "050101" + "00" + "0100" + "00\"]", "s", "invalid: negentropy ranges out of order");
            assertReason(c, "[\"NEG-MSG\",\"s\",\"" + EMPTY_SET + "\"]", "s", "closed: no open negentropy session");
            assertEquals(41, c.req("after", "{}").size()); // REQ still served on the same connection
        }
    }

    @Test
    void sessionsAreBoundedPerConnectionAndInTotalAndInRoundsAndTime() throws Exception {
        SyncSettings tight = new SyncSettings(true, 2, 3, 4096, 1500, 3, 1000);
        try (TestRelay relay = TestRelay.start(dir.resolve("data"), TestRelay.config(AuthMode.NONE, TestRelay.limits()).withSync(tight));
             TestClient c1 = new TestClient(relay.ws()); TestClient c2 = new TestClient(relay.ws())) {
            store(relay, 10);
            assertOpened(c1, "a");
            assertOpened(c1, "b");
            assertReason(c1, open("c"), "c", "blocked: too many negentropy sessions on this connection (max 2)");
            assertOpened(c2, "d");
            assertReason(c2, open("e"), "e", "blocked: too many negentropy sessions on this relay (max 3)");
            c2.send("[\"NEG-CLOSE\",\"d\"]");
            assertOpened(c2, "e"); // the closed session's place is free again
            // NEG-OPEN was round 1; rounds 2 and 3 are answered, the fourth is refused
            assertTrue(negAnswer(c1, msg("a"), "a").startsWith("[\"NEG-MSG\""));
            assertTrue(negAnswer(c1, msg("a"), "a").startsWith("[\"NEG-MSG\""));
            assertReason(c1, msg("a"), "a", "blocked: more than 3 negentropy rounds");
            // "b" sent nothing since it opened: it is closed as idle
            assertReason(c1, null, "b", "closed: no NEG-MSG for 1 s");
            assertEquals(11, c1.req("still", "{}").size());
        }
    }

    @Test
    void nip11ListsNip77OnlyWhileEnabled() throws Exception {
        SyncSettings off = new SyncSettings(false, 4, 32, 128 * 1024, 60_000, 500, 100_000);
        try (TestRelay on = TestRelay.start(dir.resolve("on"));
             TestRelay disabled = TestRelay.start(dir.resolve("off"), TestRelay.config(AuthMode.NONE, TestRelay.limits()).withSync(off));
             TestClient c = new TestClient(disabled.ws())) {
            assertTrue(nip11(on).contains(",77]"), nip11(on));
            assertFalse(nip11(disabled).contains("77"), nip11(disabled));
            assertReason(c, open("x"), "x", "blocked: negentropy sync (NIP-77) is turned off on this relay");
        }
    }

    /** Stores {@code notes} kind-1 events over 20 seconds (many sharing one), plus a few reactions a kind-1 filter skips. */
    private static List<Event> store(TestRelay relay, int notes) throws Exception {
        KeyPair keys = KeyPair.generate(new Random(9));
        Random r = new Random(notes);
        List<Event> out = new ArrayList<>();
        List<Event> all = new ArrayList<>();
        for (int i = 0; i < notes; i++) {
            Event e = Signer.sign(keys, 1_700_000_000L + r.nextInt(20), 1, List.of(), "note " + i);
            out.add(e);
            all.add(e);
        }
        all.add(Signer.sign(keys, 1_700_000_005L, 7, List.of(), "+"));
        TestWrites.write(relay.writer, all);
        return out.subList(0, notes);
    }

    private static String open(String subId) {
        return "[\"NEG-OPEN\",\"" + subId + "\",{\"kinds\":[1]},\"" + EMPTY_SET + "\"]";
    }

    private static String msg(String subId) {
        return "[\"NEG-MSG\",\"" + subId + "\",\"" + EMPTY_SET + "\"]";
    }

    private static void assertOpened(TestClient c, String subId) {
        String answer = negAnswer(c, open(subId), subId);
        assertTrue(answer.startsWith("[\"NEG-MSG\",\"" + subId + "\",\"61"), answer);
    }

    private static void assertReason(TestClient c, String send, String subId, String reasonStart) {
        String answer = negAnswer(c, send, subId);
        String prefix = "[\"NEG-ERR\",\"" + subId + "\",\"";
        assertTrue(answer.startsWith(prefix + reasonStart), answer + " does not start with " + prefix + reasonStart);
    }

    /** Sends {@code send} (if not null) and returns the next NEG-MSG or NEG-ERR for {@code subId}. */
    private static String negAnswer(TestClient c, String send, String subId) {
        if (send != null) c.send(send);
        return c.until(m -> m.startsWith("[\"NEG-MSG\",\"" + subId + "\"") || m.startsWith("[\"NEG-ERR\",\"" + subId + "\"")).getLast();
    }

    private static Set<String> ids(String json) {
        Set<String> out = new HashSet<>();
        Matcher m = ID.matcher(json);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    private static String nip11(TestRelay relay) throws Exception {
        return TestClient.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.server.port() + "/"))
                .header("Accept", "application/nostr+json").build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
