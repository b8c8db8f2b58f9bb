package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input over a real WebSocket: each case gets a NIP-01-prefixed refusal (NOTICE, OK false or
 * CLOSED), or, where RFC 6455 requires it (a frame over the cap, a text frame that is not UTF-8), a
 * WebSocket close with the RFC's status code; and afterwards the relay still serves: an EVENT on the same
 * connection gets OK true and a new connection works. The relay here allows 1 MiB messages (so a REQ with
 * 10,000 authors and an event with 100,000 tags reach the parsers), and at most ten years of created_at
 * in the past.
 */
class AdversarialInputTest {
    private static final long TEN_YEARS = 10L * 365 * 86_400;
    private static final int MAX_MESSAGE = 1 << 20;

    @TempDir
    static Path dir;
    static TestRelay relay;
    private final KeyPair keys = KeyPair.generate(new Random());

    @BeforeAll
    static void start() throws InterruptedException {
        relay = TestRelay.start(dir, l -> new RelayLimits(MAX_MESSAGE, l.maxSubscriptions(), l.maxFilters(), l.maxFilterValues(), l.maxLimit(),
                l.defaultLimit(), l.maxEventTags(), l.maxContentLength(), TEN_YEARS, l.createdAtUpperLimit(),
                l.maxConnectionsPerIp(), l.eventsPerSecond(), l.eventBurst(), l.maxEventsInFlight(), l.outboundBufferBytes(),
                l.slowConsumerGraceMillis()));
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    /** The connection still works, and so does a new one. */
    private void assertHealthy(TestClient c) {
        Event e = TestClient.note(keys, "still here " + System.nanoTime());
        assertEquals("[\"OK\",\"" + e.idHex() + "\",true,\"\"]", c.publish(e));
        assertNewConnectionWorks();
    }

    private void assertNewConnectionWorks() {
        try (TestClient fresh = new TestClient(relay.ws())) {
            Event e = TestClient.note(keys, "fresh " + System.nanoTime());
            assertEquals("[\"OK\",\"" + e.idHex() + "\",true,\"\"]", fresh.publish(e));
            assertEquals(1, fresh.req("check", "{\"ids\":[\"" + e.idHex() + "\"]}").size());
        }
    }

    private static void assertNotice(String msg) {
        assertTrue(msg.startsWith("[\"NOTICE\",\"invalid: "), msg);
    }

    private static void assertOkFalse(Event e, String msg, String reason) {
        assertTrue(msg.startsWith("[\"OK\",\"" + e.idHex() + "\",false,\"invalid: " + reason), msg);
    }

    @Test
    void deeplyNestedJson() {
        try (TestClient c = new TestClient(relay.ws())) {
            assertNotice(c.send("[".repeat(100_000)).next());
            assertNotice(c.send("[\"EVENT\"," + "{\"tags\":".repeat(30_000) + "]").next());
            assertNotice(c.send("[\"REQ\",\"s\",{\"#t\":" + "[".repeat(50_000) + "}]").next());
            assertHealthy(c);
        }
    }

    @Test
    void tenMegabyteFrameClosesOnlyThatConnection() throws IOException {
        try (RawWebSocket raw = new RawWebSocket(relay.server.port(), "", 0)) {
            byte[] big = new byte[10 << 20];
            java.util.Arrays.fill(big, (byte) 'a');
            try {
                raw.sendText(big);
            } catch (IOException reset) {
                // the relay may close before it has read the whole frame
            }
            assertEquals(1009, closeStatus(raw), "RFC 6455: message too big");
        }
        assertNewConnectionWorks();
    }

    /** A message over the frame cap in one frame, in several, or compressed into a small one: a NOTICE, then close 1009. */
    @Test
    void singleFrameOverTheFrameCapGetsANoticeAndMessageTooBig() throws IOException {
        overTheFrameCap("", raw -> raw.sendText(overFrameCap()), true);
    }

    @Test
    void fragmentedMessageOverTheFrameCapGetsANoticeAndMessageTooBig() throws IOException {
        overTheFrameCap("", raw -> raw.sendFragmented(overFrameCap(), 6), true);
    }

    @Test
    void compressedMessageOverTheFrameCapIsMessageTooBig() throws IOException {
        // the NOTICE comes compressed; the close frame never is
        overTheFrameCap("Sec-WebSocket-Extensions: permessage-deflate\r\n", raw -> raw.sendCompressedText(overFrameCap()), false);
    }

    private interface Sending {
        void send(RawWebSocket raw) throws IOException;
    }

    private static byte[] overFrameCap() {
        byte[] big = new byte[3 * MAX_MESSAGE];
        java.util.Arrays.fill(big, (byte) 'a');
        return big;
    }

    private void overTheFrameCap(String headers, Sending sending, boolean readNotice) throws IOException {
        try (RawWebSocket raw = new RawWebSocket(relay.server.port(), headers, 0)) {
            raw.readFrame(); // AUTH
            sending.send(raw);
            if (readNotice) {
                String notice = new String(raw.readFrame().payload(), StandardCharsets.UTF_8);
                assertTrue(notice.startsWith("[\"NOTICE\",\"invalid: "), "a NOTICE first: " + notice);
            }
            assertEquals(1009, closeStatus(raw), "RFC 6455: message too big");
        }
        assertNewConnectionWorks();
    }

    @Test
    void uppercaseIdGetsOkFalseInvalid() {
        Event e = Signer.sign(KeyPair.generate(), System.currentTimeMillis() / 1000, 1, List.of(), "shouting");
        String json = new String(e.json(), StandardCharsets.UTF_8).replace(e.idHex(), e.idHex().toUpperCase(java.util.Locale.ROOT));
        try (TestClient c = new TestClient(relay.ws())) {
            String ok = c.send("[\"EVENT\"," + json + "]").next();
            assertTrue(ok.startsWith("[\"OK\",\"" + e.idHex() + "\",false,\"invalid: "), ok);
            assertHealthy(c);
        }
    }

    @Test
    void messageOverTheLimitButUnderTheFrameCapGetsANotice() {
        try (TestClient c = new TestClient(relay.ws())) {
            assertNotice(c.send("[\"REQ\",\"s\",{\"#t\":[\"" + "x".repeat(MAX_MESSAGE + 10) + "\"]}]").next());
            assertHealthy(c);
        }
    }

    @Test
    void invalidUtf8InATextFrameClosesOnlyThatConnection() throws IOException {
        try (RawWebSocket raw = new RawWebSocket(relay.server.port(), "", 0)) {
            byte[] prefix = "[\"REQ\",\"s\",{\"#t\":[\"".getBytes(StandardCharsets.US_ASCII);
            byte[] msg = ByteBuffer.allocate(prefix.length + 6).put(prefix).put(new byte[] {(byte) 0xc3, 0x28, '"', ']', '}', ']'}).array();
            raw.sendText(msg);
            assertEquals(1007, closeStatus(raw), "RFC 6455: invalid frame payload data");
        }
        assertNewConnectionWorks();
    }

    @Test
    void reqWithTenThousandAuthors() {
        List<String> authors = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) authors.add("\"" + String.format("%064x", i) + "\"");
        try (TestClient c = new TestClient(relay.ws())) {
            String closed = c.send("[\"REQ\",\"many\",{\"authors\":[" + String.join(",", authors) + "]}]").next();
            assertTrue(closed.startsWith("[\"CLOSED\",\"many\",\"invalid: too many values in 'authors'"), closed);
            assertHealthy(c);
        }
    }

    @Test
    void hugeLimitsAreClampedOrRefused() {
        try (TestClient c = new TestClient(relay.ws())) {
            Event e = TestClient.note(keys, "limit target");
            c.publish(e);
            String author = TestClient.authorFilter(keys).replace("}", "");
            // 1e12 is a JSON float, 2^63 does not fit a long: both are not the non-negative integer NIP-01 asks for
            String closed = c.send("[\"REQ\",\"f\"," + author + ",\"limit\":1e12}]").next();
            assertTrue(closed.startsWith("[\"CLOSED\",\"f\",\"invalid: "), closed);
            closed = c.send("[\"REQ\",\"b\"," + author + ",\"limit\":9223372036854775808}]").next();
            assertTrue(closed.startsWith("[\"CLOSED\",\"b\",\"invalid: "), closed);
            // integers that fit are clamped to max_limit and answered
            assertEquals(1, c.req("i", author + ",\"limit\":1000000000000}").size());
            assertEquals(1, c.req("m", author + ",\"limit\":9223372036854775807}").size());
            assertHealthy(c);
        }
    }

    @Test
    void eventWithOneHundredThousandTags() {
        List<List<String>> tags = Collections.nCopies(100_000, List.of("t"));
        Event e = Signer.sign(keys, TestClient.now(), 1, tags, "tags");
        try (TestClient c = new TestClient(relay.ws())) {
            assertOkFalse(e, c.publish(e), "too many tags");
            assertHealthy(c);
        }
    }

    @Test
    void createdAtFarInTheFutureOrPast() {
        Event future = Signer.sign(keys, TestClient.now() + TEN_YEARS, 1, List.of(), "future");
        Event past = Signer.sign(keys, 1, 1, List.of(), "past");
        try (TestClient c = new TestClient(relay.ws())) {
            assertOkFalse(future, c.publish(future), "created_at is more than");
            assertOkFalse(past, c.publish(past), "created_at is more than");
            // beyond 2^53-1 no client can compute the id: refused by the parser
            String json = "{\"id\":\"" + "0".repeat(64) + "\",\"pubkey\":\"" + keys.publicKeyHex() + "\",\"created_at\":9007199254740992,"
                    + "\"kind\":1,\"tags\":[],\"content\":\"\",\"sig\":\"" + "0".repeat(128) + "\"}";
            String ok = c.send("[\"EVENT\"," + json + "]").next();
            assertTrue(ok.startsWith("[\"OK\",\"" + "0".repeat(64) + "\",false,\"invalid: "), ok);
            assertHealthy(c);
        }
    }

    /**
     * 5,000 WebSocket connections opened and dropped in batches of 250 (more than the per-address limit of
     * 512 in all, so a connection slot that is not given back shows up as a refused connection), half of
     * them closed without a close frame. Afterwards the relay tracks none of them and still serves.
     */
    @Test
    void fiveThousandConnectionsOpenedAndDropped() throws Exception {
        int port = relay.server.port();
        for (int batch = 0; batch < 20; batch++) {
            List<RawWebSocket> open = new ArrayList<>();
            try {
                for (int i = 0; i < 250; i++) {
                    RawWebSocket ws = new RawWebSocket(port, "", 0);
                    assertTrue(ws.responseHeaders.startsWith("HTTP/1.1 101"), ws.responseHeaders);
                    open.add(ws);
                }
            } finally {
                for (int i = 0; i < open.size(); i++) {
                    if (i % 2 == 0) open.get(i).sendClose();
                    open.get(i).close();
                }
            }
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (relay.server.connections().size() > 0 && System.nanoTime() < deadline) Thread.sleep(20);
        assertEquals(0, relay.server.connections().size(), "connections still tracked after all were dropped");
        assertNewConnectionWorks();
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long usedMb = (rt.totalMemory() - rt.freeMemory()) >> 20;
        assertTrue(usedMb < 512, "heap in use after 5,000 dropped connections: " + usedMb + " MB");
    }

    /** Reads frames until the relay's close frame (its status code) or the end of the stream (-1). */
    private static int closeStatus(RawWebSocket raw) {
        try {
            while (true) {
                RawWebSocket.Frame f = raw.readFrame();
                if (f.opcode() == 8) return f.payload().length >= 2 ? ((f.payload()[0] & 0xff) << 8) | (f.payload()[1] & 0xff) : 1005;
            }
        } catch (IOException closed) {
            return -1;
        }
    }
}
