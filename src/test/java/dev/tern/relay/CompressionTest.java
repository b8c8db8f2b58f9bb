package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** permessage-deflate (RFC 7692) is negotiated when offered, and only then; small messages go out uncompressed. */
class CompressionTest {
    @TempDir
    Path dir;

    @Test
    void deflateWhenOffered() throws Exception {
        try (TestRelay relay = TestRelay.start(dir);
             RawWebSocket ws = new RawWebSocket(relay.server.port(), "Sec-WebSocket-Extensions: permessage-deflate\r\n", 0)) {
            assertTrue(ws.responseHeaders.startsWith("HTTP/1.1 101"), ws.responseHeaders);
            assertTrue(ws.responseHeaders.toLowerCase().contains("sec-websocket-extensions: permessage-deflate"), ws.responseHeaders);
            RawWebSocket.Frame auth = ws.readFrame();
            assertFalse(auth.rsv1(), "RFC 7692 section 6: a message too small to gain goes out uncompressed");
            assertTrue(new String(auth.payload(), StandardCharsets.UTF_8).startsWith("[\"AUTH\",\""));
            // four follow lists (about 80 KB): one slice, each message flushed as it is compressed
            Set<String> stored = new HashSet<>();
            for (int i = 0; i < 4; i++) stored.add(publish(ws, followList(300)));
            for (String sub : new String[] {"a", "b"}) { // each inflates with the context the messages before left
                ws.sendText("[\"REQ\",\"" + sub + "\",{\"kinds\":[3]}]");
                Set<String> got = new HashSet<>();
                for (int i = 0; i < stored.size(); i++) {
                    RawWebSocket.Frame event = ws.readFrame();
                    assertTrue(event.rsv1(), "a follow list is compressed");
                    assertTrue(event.payload().length < 21_000 * 0.7, "hex deflates: " + event.payload().length);
                    String json = inflate(event.payload());
                    String prefix = "[\"EVENT\",\"" + sub + "\",";
                    assertTrue(json.startsWith(prefix) && json.endsWith("]"), json);
                    got.add(json.substring(prefix.length(), json.length() - 1));
                }
                assertEquals(stored, got);
                RawWebSocket.Frame eose = ws.readFrame();
                assertFalse(eose.rsv1());
                assertEquals("[\"EOSE\",\"" + sub + "\"]", new String(eose.payload(), StandardCharsets.UTF_8));
                // a live event to the open subscription: compressed by the connection's own context, between the REQs'
                String live = new String(followList(300).json(), StandardCharsets.UTF_8);
                ws.sendText("[\"EVENT\"," + live + "]");
                Set<String> answers = new HashSet<>();
                for (int i = 0; i < 2; i++) {
                    RawWebSocket.Frame f = ws.readFrame();
                    answers.add(f.rsv1() ? inflate(f.payload()) : new String(f.payload(), StandardCharsets.UTF_8).substring(0, 5));
                }
                assertEquals(Set.of("[\"OK\"", "[\"EVENT\",\"" + sub + "\"," + live + "]"), answers);
                stored.add(live);
                ws.sendText("[\"CLOSE\",\"" + sub + "\"]");
            }
        }
    }

    /** Publishes {@code e} and returns its JSON once the relay accepted it. */
    private static String publish(RawWebSocket ws, Event e) throws Exception {
        String json = new String(e.json(), StandardCharsets.UTF_8);
        ws.sendText("[\"EVENT\"," + json + "]");
        assertTrue(new String(ws.readFrame().payload(), StandardCharsets.UTF_8).contains(",true,"));
        return json;
    }

    private static Event followList(int follows) {
        List<List<String>> tags = new ArrayList<>();
        for (int i = 0; i < follows; i++) tags.add(List.of("p", KeyPair.generate().publicKeyHex()));
        return Signer.sign(KeyPair.generate(), System.currentTimeMillis() / 1000, 3, tags, "");
    }

    @Test
    void plainWhenNotOffered() throws Exception {
        try (TestRelay relay = TestRelay.start(dir); RawWebSocket ws = new RawWebSocket(relay.server.port(), "", 0)) {
            assertFalse(ws.responseHeaders.toLowerCase().contains("permessage-deflate"));
            RawWebSocket.Frame auth = ws.readFrame();
            assertFalse(auth.rsv1());
            assertTrue(new String(auth.payload(), StandardCharsets.UTF_8).startsWith("[\"AUTH\",\""));
        }
    }

    /** One inflater per connection: the server keeps its compression context between messages. */
    private final Inflater inf = new Inflater(true);

    private String inflate(byte[] payload) throws Exception {
        byte[] withTail = new byte[payload.length + 4];
        System.arraycopy(payload, 0, withTail, 0, payload.length);
        withTail[payload.length + 2] = (byte) 0xff;
        withTail[payload.length + 3] = (byte) 0xff;
        inf.setInput(withTail);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((n = inf.inflate(buf)) > 0) out.write(buf, 0, n);
        return out.toString(StandardCharsets.UTF_8);
    }
}
