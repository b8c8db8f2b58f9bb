package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client that stops reading loses its subscriptions and then its connection; the relay carries on. */
class SlowConsumerTest {
    @TempDir
    Path dir;

    @Test
    void clientThatNeverReadsIsCutOffAndTheRelayStaysHealthy() throws Exception {
        try (TestRelay relay = TestRelay.start(dir, l -> new RelayLimits(l.maxMessageBytes(), l.maxSubscriptions(),
                l.maxFilters(), l.maxFilterValues(), l.maxLimit(), l.defaultLimit(), l.maxEventTags(), l.maxContentLength(), l.createdAtLowerLimit(),
                l.createdAtUpperLimit(), l.maxConnectionsPerIp(), 0, 0, l.maxEventsInFlight(), 64 * 1024, 500));
             RawWebSocket slow = new RawWebSocket(relay.server.port(), "", 4096);
             TestClient pub = new TestClient(relay.ws())) {
            KeyPair k = KeyPair.generate();
            slow.readFrame(); // AUTH
            slow.sendText("[\"REQ\",\"firehose\",{\"kinds\":[20001]}]");
            assertEquals("[\"EOSE\",\"firehose\"]", new String(slow.readFrame().payload(), StandardCharsets.UTF_8));
            // from here on the slow client reads nothing: 1000 ephemeral events of 16 KB (16 MB) are far more than
            // the 64 KB outbound cap plus the kernel's socket buffers
            String content = "x".repeat(16 * 1024);
            for (int i = 0; i < 1000; i++) {
                Event e = Signer.sign(k, TestClient.now(), 20001, List.of(), content + i);
                assertTrue(pub.publish(e).contains(",true,"));
            }
            // the relay still serves others
            assertEquals(List.of(), pub.req("healthy", "{\"kinds\":[9999]}"));
            HttpResponse<String> health = TestClient.HTTP.send(HttpRequest.newBuilder(relay.http("/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            // the slow client got its subscription CLOSED, or was already disconnected for staying behind
            String tail = drain(slow.socket.getInputStream());
            assertTrue(tail.contains("[\"CLOSED\",\"firehose\",\"error: slow consumer") || tail.endsWith("<eof>"),
                    tail.length() > 300 ? tail.substring(tail.length() - 300) : tail);
        }
    }

    @Test
    void pastTheSlowClientCapAClientThatFallsBehindIsDisconnectedAtOnce() throws Exception {
        RelayLimits l = RelayLimits.DEFAULTS;
        RelayLimits limits = new RelayLimits(l.maxMessageBytes(), l.maxSubscriptions(), l.maxFilters(), l.maxFilterValues(),
                l.maxLimit(), l.defaultLimit(), l.maxEventTags(), l.maxContentLength(), l.createdAtLowerLimit(), l.createdAtUpperLimit(),
                l.maxConnectionsPerIp(), 0, 0, l.maxEventsInFlight(), 64 * 1024, 60_000);
        RelayConfig c = TestRelay.config(AuthMode.NONE, limits);
        RelayConfig oneSlowClient = new RelayConfig(c.host(), c.port(), c.ioThreads(), c.queryThreads(), c.queryQueue(),
                c.authMode(), c.info(), c.limits(), c.httpTimeouts(), 1);
        try (TestRelay relay = TestRelay.start(dir, oneSlowClient);
             RawWebSocket first = new RawWebSocket(relay.server.port(), "", 4096);
             RawWebSocket second = new RawWebSocket(relay.server.port(), "", 4096);
             TestClient pub = new TestClient(relay.ws())) {
            for (RawWebSocket slow : List.of(first, second)) {
                slow.readFrame(); // AUTH
                slow.sendText("[\"REQ\",\"firehose\",{\"kinds\":[20001]}]");
                assertEquals("[\"EOSE\",\"firehose\"]", new String(slow.readFrame().payload(), StandardCharsets.UTF_8));
            }
            // neither reads: 1000 ephemeral events of 16 KB fill both outbound buffers
            KeyPair k = KeyPair.generate();
            String content = "x".repeat(16 * 1024);
            for (int i = 0; i < 1000; i++) {
                assertTrue(pub.publish(Signer.sign(k, TestClient.now(), 20001, List.of(), content + i)).contains(",true,"));
            }
            // one of them took the only slow place and keeps its 60 s grace; the other was dropped at once
            first.socket.setSoTimeout(3_000);
            second.socket.setSoTimeout(3_000);
            List<Boolean> closed = List.of(readsToEnd(first.socket.getInputStream()), readsToEnd(second.socket.getInputStream()));
            assertTrue(closed.contains(true) && closed.contains(false), closed.toString());
            assertEquals(List.of(), pub.req("healthy", "{\"kinds\":[9999]}"));
        }
    }

    /** Reads everything the relay sent: true if the stream ended (closed by the relay), false if it went quiet. */
    private static boolean readsToEnd(InputStream in) throws IOException {
        byte[] buf = new byte[65536];
        try {
            while (in.read(buf) >= 0) {
                // keep draining
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true; // reset by the relay's close
        }
    }

    /** Reads until end of stream (marked "<eof>") or 15 s of silence; keeps the last 64 KB. */
    private static String drain(InputStream in) throws IOException {
        byte[] buf = new byte[65536];
        StringBuilder tail = new StringBuilder();
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                tail.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                if (tail.length() > 131072) tail.delete(0, tail.length() - 65536);
                if (tail.indexOf("slow consumer") >= 0) return tail.toString();
            }
            return tail.append("<eof>").toString();
        } catch (SocketTimeoutException | java.net.SocketException e) {
            return tail.append(e instanceof SocketTimeoutException ? "<timeout>" : "<eof>").toString();
        }
    }
}
