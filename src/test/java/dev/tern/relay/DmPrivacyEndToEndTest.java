package dev.tern.relay;

import static dev.tern.relay.AuthTest.authenticate;
import static dev.tern.relay.TestClient.idOf;
import static dev.tern.relay.TestClient.note;
import static dev.tern.relay.TestClient.now;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import dev.tern.testing.NodeClients;
import dev.tern.testing.ServeProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NIP-17/59/04 over a real WebSocket: gift wraps and DMs reach only their parties, in every read. */
class DmPrivacyEndToEndTest {
    @TempDir
    Path dir;

    private final KeyPair alice = KeyPair.generate();
    private final KeyPair bob = KeyPair.generate();
    private final KeyPair carol = KeyPair.generate();

    /** A gift wrap to {@code to}, signed by a one-time key as NIP-59 has it. */
    static Event wrapTo(KeyPair to, String content) {
        return Signer.sign(KeyPair.generate(), now() - 60, 1059, List.of(List.of("p", to.publicKeyHex())), content);
    }

    static Event dm(KeyPair from, KeyPair to, String content) {
        return Signer.sign(from, now(), 4, List.of(List.of("p", to.publicKeyHex())), content);
    }

    private static String closedOf(TestClient c, String subId, String req) {
        c.send(req);
        return c.until(m -> m.startsWith("[\"CLOSED\",\"" + subId + "\"") || m.equals("[\"EOSE\",\"" + subId + "\"]")).getLast();
    }

    private static String count(TestClient c, String subId, String filter) {
        c.send("[\"COUNT\",\"" + subId + "\"," + filter + "]");
        return c.until(m -> m.startsWith("[\"COUNT\",\"" + subId + "\"") || m.startsWith("[\"CLOSED\",\"" + subId + "\"")).getLast();
    }

    private static List<String> ids(List<String> events) {
        return events.stream().map(TestClient::idOf).toList();
    }

    @Test
    void unauthenticatedReadsOfPrivateKindsAreRefusedAndMixedOnesServeTheRest() throws Exception {
        try (TestRelay relay = TestRelay.start(dir); TestClient c = new TestClient(relay.ws())) {
            Event wrap = wrapTo(bob, "sealed");
            Event dm = dm(alice, bob, "nip-04");
            Event hello = note(alice, "public");
            for (Event e : List.of(wrap, dm, hello)) assertTrue(c.publish(e).contains(",true,"), "stored");

            String wraps = "{\"kinds\":[1059],\"#p\":[\"" + bob.publicKeyHex() + "\"]}";
            assertTrue(closedOf(c, "w", "[\"REQ\",\"w\"," + wraps + "]").startsWith("[\"CLOSED\",\"w\",\"auth-required: "));
            assertTrue(closedOf(c, "d", "[\"REQ\",\"d\",{\"kinds\":[4]},{\"kinds\":[1059]}]").startsWith("[\"CLOSED\",\"d\",\"auth-required: "));
            assertTrue(count(c, "n", wraps).startsWith("[\"CLOSED\",\"n\",\"auth-required: "));
            // mixed with other kinds, or no kinds at all: the rest is served, the private ones hidden, counts too
            assertEquals(List.of(hello.idHex()), ids(c.req("m", "{\"kinds\":[1,4,1059]}")));
            assertEquals(List.of(hello.idHex()), ids(c.req("a", "{\"authors\":[\"" + alice.publicKeyHex() + "\"]}")));
            assertEquals(List.of(), c.req("p", "{\"#p\":[\"" + bob.publicKeyHex() + "\"]}"));
            assertEquals("[\"COUNT\",\"c\",{\"count\":1}]", count(c, "c", "{\"since\":0}"));
            assertEquals(List.of(), c.req("i", "{\"ids\":[\"" + wrap.idHex() + "\",\"" + dm.idHex() + "\"]}"));
        }
    }

    @Test
    void aGiftWrapReachesOnlyItsRecipientAndADmItsAuthorAndRecipient() throws Exception {
        try (TestRelay relay = TestRelay.start(dir); TestClient c = new TestClient(relay.ws())) {
            Event wrap = wrapTo(bob, "sealed");
            Event dm = dm(alice, bob, "nip-04");
            for (Event e : List.of(wrap, dm)) assertTrue(c.publish(e).contains(",true,"));
            String wraps = "{\"kinds\":[1059]}";
            assertTrue(closedOf(c, "w", "[\"REQ\",\"w\"," + wraps + "]").contains("auth-required: "));
            assertTrue(authenticate(c, carol).contains(",true,"));
            assertEquals(List.of(), c.req("w", wraps), "carol is no party");
            assertEquals(List.of(), c.req("d", "{\"kinds\":[4]}"), "carol is no party");
            assertEquals("[\"COUNT\",\"n\",{\"count\":0}]", count(c, "n", "{\"kinds\":[4,1059]}"));
            assertTrue(authenticate(c, alice).contains(",true,")); // NIP-42: every key authenticated counts
            assertEquals(List.of(dm.idHex()), ids(c.req("d", "{\"kinds\":[4]}")), "alice wrote the DM");
            assertEquals(List.of(), c.req("w", wraps), "the wrap is bob's");
            assertTrue(authenticate(c, bob).contains(",true,"));
            assertEquals(List.of(wrap.idHex()), ids(c.req("w", wraps)));
            assertEquals(List.of(dm.idHex(), wrap.idHex()), ids(c.req("b", "{\"#p\":[\"" + bob.publicKeyHex() + "\"]}")));
            assertEquals("[\"COUNT\",\"n\",{\"count\":2}]", count(c, "n", "{\"kinds\":[4,1059]}"));
        }
    }

    @Test
    void liveEventsFollowTheSameRule() throws Exception {
        try (TestRelay relay = TestRelay.start(dir);
             TestClient anonymous = new TestClient(relay.ws());
             TestClient carols = new TestClient(relay.ws());
             TestClient bobs = new TestClient(relay.ws());
             TestClient sender = new TestClient(relay.ws())) {
            assertTrue(authenticate(carols, carol).contains(",true,"));
            assertTrue(authenticate(bobs, bob).contains(",true,"));
            assertEquals(List.of(), anonymous.req("all", "{\"since\":0}"));
            assertEquals(List.of(), carols.req("w", "{\"kinds\":[1059]}"));
            assertEquals(List.of(), bobs.req("w", "{\"kinds\":[1059]}"));
            Event wrap = wrapTo(bob, "live");
            Event hello = note(alice, "public");
            assertTrue(sender.publish(wrap).contains(",true,"));
            assertTrue(sender.publish(hello).contains(",true,"));
            assertEquals(wrap.idHex(), idOf(bobs.next()));
            assertEquals(List.of(), carols.barrier(), "carol got no live wrap");
            List<String> seen = anonymous.barrier();
            assertEquals(List.of(hello.idHex()), ids(seen), "anonymous sees the note only");
        }
    }

    /** NIP-77 sync selects what a REQ with the same filter would: a session's items never name a wrap its reader may not see. */
    @Test
    void negentropySessionsHideWhatReadsHide() throws Exception {
        try (TestRelay relay = TestRelay.start(dir); TestClient c = new TestClient(relay.ws())) {
            Event wrap = wrapTo(bob, "sealed");
            Event dm = dm(alice, bob, "nip-04");
            Event hello = note(alice, "public");
            for (Event e : List.of(wrap, dm, hello)) assertTrue(c.publish(e).contains(",true,"));
            String emptySet = "6100000200"; // a client holding nothing: the relay's answer lists every id it would serve
            String anonymous = negAnswer(c, "[\"NEG-OPEN\",\"a\",{},\"" + emptySet + "\"]", "a");
            assertTrue(anonymous.contains(hello.idHex()), anonymous);
            assertFalse(anonymous.contains(wrap.idHex()) || anonymous.contains(dm.idHex()), anonymous);
            String onlyWraps = negAnswer(c, "[\"NEG-OPEN\",\"w\",{\"kinds\":[1059]},\"" + emptySet + "\"]", "w");
            assertTrue(onlyWraps.startsWith("[\"NEG-ERR\",\"w\",\"auth-required: "), onlyWraps);
            assertTrue(authenticate(c, bob).contains(",true,"));
            String bobs = negAnswer(c, "[\"NEG-OPEN\",\"b\",{},\"" + emptySet + "\"]", "b");
            for (Event e : List.of(wrap, dm, hello)) assertTrue(bobs.contains(e.idHex()), bobs);
        }
    }

    private static String negAnswer(TestClient c, String send, String subId) {
        c.send(send);
        return c.until(m -> m.startsWith("[\"NEG-MSG\",\"" + subId + "\"") || m.startsWith("[\"NEG-ERR\",\"" + subId + "\"")).getLast();
    }

    @Test
    void theRecipientsDeletionRemovesAGiftWrapForGood() throws Exception {
        try (TestRelay relay = TestRelay.start(dir); TestClient c = new TestClient(relay.ws())) {
            Event wrap = wrapTo(bob, "to delete");
            Event other = wrapTo(bob, "carol cannot delete this");
            for (Event e : List.of(wrap, other)) assertTrue(c.publish(e).contains(",true,"));
            Event carolsDeletion = Signer.sign(carol, now(), 5, List.of(List.of("e", other.idHex())), "");
            Event bobsDeletion = Signer.sign(bob, now(), 5, List.of(List.of("e", wrap.idHex())), "");
            assertTrue(c.publish(carolsDeletion).contains(",true,"));
            assertTrue(c.publish(bobsDeletion).contains(",true,"));
            assertTrue(authenticate(c, bob).contains(",true,"));
            assertEquals(List.of(other.idHex()), ids(c.req("w", "{\"kinds\":[1059]}")));
            assertTrue(c.publish(wrap).contains(",false,\"blocked: "), "a deleted wrap is not stored again");
        }
    }

    @Test
    void nostrToolsReadsGiftWrapsOnlyAsTheRecipient() throws Exception {
        NodeClients.require();
        try (ServeProcess relay = ServeProcess.start(dir.resolve("data"), dir.resolve("relay.log"))) {
            NodeClients.Result r = NodeClients.run(Duration.ofSeconds(60), "gift-wraps.mjs", relay.ws().toString()).assertSucceeded();
            assertTrue(r.output().startsWith("ok "), r.output());
        }
    }
}
