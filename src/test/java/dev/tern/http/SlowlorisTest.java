package dev.tern.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slowloris clients against a real relay on a loopback port, with 1 s timeouts and a 1024 bytes/s
 * minimum: heads and bodies that never finish are cut off with a reason, a stalled upload's import
 * fails and frees the import slot, while an upload the relay itself paused and an idle WebSocket live on.
 */
class SlowlorisTest {
    private static final HttpTimeouts TIMEOUTS = new HttpTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), 1024);

    @TempDir Path dir;
    private ApiRelay server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        server = new ApiRelay(dir, TIMEOUTS);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void silentAndTricklingHeadsAreClosedWhileOtherRequestsAreServed() throws Exception {
        try (Socket silent = connect(); Socket trickling = connect()) {
            byte[] head = ("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "a".repeat(200)).getBytes(StandardCharsets.US_ASCII);
            OutputStream out = trickling.getOutputStream();
            for (int i = 0; i < head.length && trickling.getInputStream().available() == 0; i++) {
                out.write(head[i]); // a byte every 50 ms: 12 s for the whole head, were it not cut off
                out.flush();
                if (i == 5) {
                    HttpResponse<String> ok = http.send(HttpRequest.newBuilder(uri("/healthz")).build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, ok.statusCode());
                }
                Thread.sleep(50);
            }
            String answer = readToEnd(trickling);
            assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
            assertTrue(answer.endsWith("no complete request head within 1 s\n"), answer);
            assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("\r\nx-reason: no complete request head within 1 s\r\n"), answer);
            assertEquals("", readToEnd(silent)); // nothing was begun: closed without an answer
        }
    }

    @Test
    void idleKeepAliveConnectionIsClosedAfterTheHeadTimeout() throws Exception {
        try (Socket s = connect()) {
            s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = readToEnd(s);
            assertTrue(answer.startsWith("HTTP/1.1 200 ") && answer.endsWith("\r\n\r\nok\n"), answer); // and no 408 after it
        }
    }

    @Test
    void aggregatedBodyThatStallsIsAnswered408() throws Exception {
        try (Socket s = connect()) {
            s.getOutputStream().write(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{\"method\":").getBytes(StandardCharsets.US_ASCII));
            String answer = readToEnd(s);
            assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
            assertTrue(answer.endsWith("request body stalled: nothing received for 1 s\n"), answer);
            assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("\r\nx-reason: request body stalled: nothing received for 1 s\r\n"), answer);
        }
    }

    @Test
    void stalledUploadFailsItsImportKeepsWhatWasCommittedAndFreesTheSlot() throws Exception {
        byte[] lines = events(2000, 100);
        String id = "stalled-upload-0000000001";
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/import?id=" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-ndjson\r\n"
                    + "Content-Length: " + (lines.length + 10_000_000) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(lines);
            out.flush();
            HttpImport imp = await(() -> server.api.imports().get(id));
            // Empty lines (2 KB every 100 ms) keep the upload alive until its first batches are committed.
            byte[] emptyLines = new byte[2048];
            Arrays.fill(emptyLines, (byte) '\n');
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (imp.job().progress().eventsStored() < 1000) {
                assertTrue(System.nanoTime() < deadline && !imp.finished(), imp.toJson());
                out.write(emptyLines);
                out.flush();
                Thread.sleep(100);
            }
            // Now the client sends nothing more, with the connection open.
            imp.ended().get(30, TimeUnit.SECONDS);
            String status = status(id);
            assertTrue(status.contains("\"state\":\"failed\"")
                    && status.contains("\"error\":\"upload stalled: nothing received for 1 s\""), status);
            long stored = field(status, "events_stored");
            assertTrue(stored >= 1000 && stored <= 2000, status);
            assertEquals(stored, server.store.stats().events(), status); // what was committed stays, and is what the status says
            assertTrue(readToEnd(s).startsWith("HTTP/1.1 202 ")); // accepted at once, then closed at the stall
        }
        HttpResponse<String> next = http.send(HttpRequest.newBuilder(uri("/api/import?id=after-the-stall-00001"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(events(10, 0))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, next.statusCode(), next.body());
        server.api.imports().get("after-the-stall-00001").ended().get(30, TimeUnit.SECONDS);
        assertTrue(status("after-the-stall-00001").contains("\"state\":\"complete\""));
    }

    @Test
    void tricklingUploadIsCutOff() throws Exception {
        String id = "trickled-upload-000000001";
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/import?id=" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            HttpImport imp = await(() -> server.api.imports().get(id));
            try {
                for (int i = 0; i < 200 && !imp.finished(); i++) { // 10 bytes/s for up to 20 s
                    out.write('\n');
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (IOException closedByTheRelay) {
                // expected: the relay closed the connection
            }
            imp.ended().get(30, TimeUnit.SECONDS);
            String status = status(id);
            assertTrue(status.contains("\"state\":\"failed\"")
                    && status.contains("\"error\":\"upload stalled: fewer than 1024 bytes/s for 1 s\""), status);
        }
    }

    /** The writer is held so the import stops reading its upload for 3 s, three times the stall window. */
    @Test
    void steadyUploadIsNotCutOffWhileTheRelayPausesReading() throws Exception {
        byte[] body = events(4000, 1000);
        assertTrue(body.length > 4 * Imports.PIPE_BYTES);
        CountDownLatch release = new CountDownLatch(1);
        assertTrue(server.writer.offerTask(store -> {
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        String id = "steady-upload-0000000001";
        CompletableFuture<HttpResponse<String>> response = http.sendAsync(HttpRequest.newBuilder(uri("/api/import?id=" + id))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        HttpImport imp;
        try {
            HttpImport running = await(() -> server.api.imports().get(id));
            imp = running;
            await(() -> running.pipe.isPaused() ? running : null);
            Thread.sleep(3_000);
            assertFalse(running.finished(), running.toJson());
        } finally {
            release.countDown();
        }
        assertEquals(202, response.get(30, TimeUnit.SECONDS).statusCode());
        imp.ended().get(60, TimeUnit.SECONDS);
        String status = status(id);
        assertTrue(status.contains("\"state\":\"complete\""), status);
        assertEquals(body.length, field(status, "upload_bytes"));
        assertEquals(4000, field(status, "events_stored"));
    }

    @Test
    void idleWebSocketOutlivesTheHeadTimeout() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + server.relay.port() + "/"), new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    received.add(text.toString());
                    text.setLength(0);
                }
                w.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
                received.add("closed " + status);
                return null;
            }

            @Override
            public void onError(WebSocket w, Throwable error) {
                received.add("error " + error);
            }
        }).get(10, TimeUnit.SECONDS);
        Thread.sleep(2_500);
        ws.sendText("[\"REQ\",\"idle\",{\"kinds\":[1],\"limit\":1}]", true).get(10, TimeUnit.SECONDS);
        String message;
        do {
            message = received.poll(10, TimeUnit.SECONDS);
            assertNotNull(message, "no answer to the REQ");
            if (message.startsWith("closed") || message.startsWith("error")) fail(message);
        } while (!message.equals("[\"EOSE\",\"idle\"]"));
        ws.abort();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", server.relay.port()), 5000);
        s.setSoTimeout(10_000); // every close expected here comes within a few seconds
        return s;
    }

    /** Everything the relay sends until it closes the connection. */
    private static String readToEnd(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) >= 0; ) all.write(buf, 0, n);
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    private static <T> T await(java.util.function.Supplier<T> value) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        T v;
        while ((v = value.get()) == null) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(10);
        }
        return v;
    }

    /** {@code n} distinct signed kind-1 notes as JSONL, each with {@code pad} bytes of content. */
    private static byte[] events(int n, int pad) {
        KeyPair k = KeyPair.generate();
        long now = System.currentTimeMillis() / 1000;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            out.writeBytes(Signer.sign(k, now, 1, List.of(), "note " + i + " " + "x".repeat(pad)).json());
            out.write('\n');
        }
        return out.toByteArray();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.relay.port() + path);
    }

    private String status(String id) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/api/import/" + id)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static long field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        assertTrue(m.find(), name + " in " + json);
        return Long.parseLong(m.group(1));
    }
}
