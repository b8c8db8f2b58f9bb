package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** permessage-deflate (RFC 7692) is negotiated when offered, and only then. */
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
            assertTrue(auth.rsv1(), "server messages are compressed");
            assertTrue(inflate(auth.payload()).startsWith("[\"AUTH\",\""));
            ws.sendText("[\"REQ\",\"z\",{\"kinds\":[1],\"limit\":0}]");
            RawWebSocket.Frame eose = ws.readFrame();
            assertTrue(eose.rsv1());
            assertEquals("[\"EOSE\",\"z\"]", inflate(eose.payload()));
        }
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
