package dev.tern.relay;

import static dev.tern.relay.TestClient.now;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default limits let through what real clients send: one filter per author in one REQ (nostr-tools'
 * SimplePool.subscribeMap), a home feed naming thousands of follows, and follow lists of active users, with
 * thousands of p tags and over 256 KiB, as `tern import` accepts them.
 */
class ClientShapedLimitsTest {
    @TempDir
    static Path dir;
    static TestRelay relay;

    @BeforeAll
    static void start() throws InterruptedException {
        relay = TestRelay.start(dir); // RelayLimits.DEFAULTS, without the per-connection event rate
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    private static Event followList(KeyPair owner, int follows) {
        List<List<String>> tags = new ArrayList<>();
        for (int i = 0; i < follows; i++) tags.add(List.of("p", String.format("%064x", i), "wss://relay.example.org/"));
        return Signer.sign(owner, now(), 3, tags, "");
    }

    @Test
    void twoHundredFiltersInOneReq() {
        List<String> filters = new ArrayList<>();
        for (int i = 0; i < 200; i++) filters.add("{\"authors\":[\"" + String.format("%064x", i) + "\"],\"kinds\":[1,6],\"limit\":20}");
        try (TestClient c = new TestClient(relay.ws())) {
            assertEquals("[\"EOSE\",\"feed\"]", c.send("[\"REQ\",\"feed\"," + String.join(",", filters) + "]").next());
        }
    }

    @Test
    void homeFeedOfThreeThousandFollows() {
        List<String> authors = new ArrayList<>();
        for (int i = 0; i < 3000; i++) authors.add("\"" + String.format("%064x", i) + "\"");
        try (TestClient c = new TestClient(relay.ws())) {
            String msg = "[\"REQ\",\"home\",{\"authors\":[" + String.join(",", authors) + "],\"kinds\":[1]}]";
            assertEquals("[\"EOSE\",\"home\"]", c.send(msg).next());
        }
    }

    @Test
    void longFollowListsAreAccepted() {
        KeyPair active = KeyPair.generate();
        Event many = followList(active, 2501);
        Event huge = followList(KeyPair.generate(), 4000);
        assertTrue(huge.json().length > 256 * 1024, "over 256 KiB: " + huge.json().length);
        try (TestClient c = new TestClient(relay.ws())) {
            assertTrue(c.publish(many).contains(",true,"), "2,501 p tags");
            assertTrue(c.publish(huge).contains(",true,"), "a follow list over 256 KiB");
            List<String> got = c.req("k3", "{\"kinds\":[3],\"authors\":[\"" + active.publicKeyHex() + "\"]}");
            assertEquals(1, got.size());
            assertTrue(got.get(0).contains(many.idHex()));
        }
    }

    @Test
    void otherKindsKeepTheTagLimit() {
        List<List<String>> tags = new ArrayList<>();
        for (int i = 0; i < RelayLimits.DEFAULTS.maxEventTags() + 1; i++) tags.add(List.of("t", "t" + i));
        try (TestClient c = new TestClient(relay.ws())) {
            assertTrue(c.publish(Signer.sign(KeyPair.generate(), now(), 1, tags, "")).contains(",false,\"invalid: too many tags"));
        }
    }
}
