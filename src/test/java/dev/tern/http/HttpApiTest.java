package dev.tern.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import dev.tern.gen.EventGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API against a real relay, store and writer on a loopback port. */
class HttpApiTest {
    @TempDir Path dir;
    private ApiRelay server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        server = new ApiRelay(dir, HttpTimeouts.DEFAULTS);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.relay.port() + path);
    }

    private static byte[] generate(int events, int bad, boolean gzip) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var o = gzip ? new GZIPOutputStream(out) : out) {
            new EventGenerator(events, 7, bad, 2).write(o);
        }
        return out.toByteArray();
    }

    private String awaitDone(String id) throws Exception {
        server.api.imports().get(id).ended().get(120, TimeUnit.SECONDS);
        return http.send(HttpRequest.newBuilder(uri("/api/import/" + id)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static long field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        assertTrue(m.find(), name + " in " + json);
        return Long.parseLong(m.group(1));
    }

    /** NIP-17/59/04: the export is a read over the network, so private messages leave only to their parties. */
    @Test
    void exportLeavesOutPrivateMessagesOfOthers() throws Exception {
        KeyPair alice = KeyPair.generate();
        long now = System.currentTimeMillis() / 1000;
        Event wrap = Signer.sign(KeyPair.generate(), now, 1059, List.of(List.of("p", alice.publicKeyHex())), "sealed");
        Event dm = Signer.sign(alice, now, 4, List.of(), "dm");
        Event note = Signer.sign(alice, now, 1, List.of(), "public");
        CompletableFuture<Object> written = new CompletableFuture<>();
        assertTrue(server.writer.offer(List.of(wrap, dm, note), (outcomes, failure) -> written.complete(outcomes)));
        written.get(30, TimeUnit.SECONDS);
        for (String query : List.of("", "?since=0")) {
            String body = http.send(HttpRequest.newBuilder(uri("/api/export" + query)).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertEquals(new String(note.json(), StandardCharsets.UTF_8) + "\n", body, query);
        }
    }

    /** 8 MB through a 1 MB pipe: without the pause and resume of socket reads the pipe would overflow. */
    @Test
    void rawUploadLargerThanThePipeStreamsThrough() throws Exception {
        byte[] body = generate(4000, 7, false);
        assertTrue(body.length > 4 * Imports.PIPE_BYTES + (1 << 20));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/api/import?id=raw-upload-0000000001"))
                .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
        assertTrue(r.body().contains("raw-upload-0000000001"));
        String status = awaitDone("raw-upload-0000000001");
        assertTrue(status.contains("\"state\":\"done\""), status);
        assertEquals(4007, field(status, "lines_read"));
        assertEquals(body.length, field(status, "upload_bytes"));
        String list = http.send(HttpRequest.newBuilder(uri("/api/import")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(list.startsWith("{\"imports\":[{\"id\":\"raw-upload-0000000001\""), list);
        assertEquals(409, http.send(HttpRequest.newBuilder(uri("/api/import?id=raw-upload-0000000001"))
                .POST(HttpRequest.BodyPublishers.ofString("")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void multipartGzipUploadThenExportAndFigures() throws Exception {
        byte[] file = generate(600, 7, true);
        long importedBefore = field(stats(), "events_imported");
        String boundary = "----terntest" + System.nanoTime();
        ByteArrayOutputStream form = new ByteArrayOutputStream();
        form.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"dump.jsonl.gz\"\r\n"
                + "Content-Type: application/gzip\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        form.writeBytes(file);
        form.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/api/import"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
        String id = r.body().replaceAll(".*\"id\":\"([0-9a-f]+)\".*\\s*", "$1");
        String status = awaitDone(id);
        assertTrue(status.contains("\"state\":\"done\"") && status.contains("\"source\":\"dump.jsonl.gz\""), status);
        assertEquals(607, field(status, "lines_read"));
        assertEquals(file.length, field(status, "upload_bytes"));
        assertTrue(field(status, "rejected") > 0);

        long stored = server.store.stats().events();
        HttpResponse<InputStream> gz = http.send(HttpRequest.newBuilder(uri("/api/export")).header("Accept-Encoding", "gzip").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals("gzip", gz.headers().firstValue("Content-Encoding").orElse(""));
        String jsonl;
        try (InputStream in = new GZIPInputStream(gz.body())) {
            jsonl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(stored, jsonl.lines().count());
        String kind1 = http.send(HttpRequest.newBuilder(uri("/api/export?filter=%7B%22kinds%22%3A%5B1%5D%7D&since=0")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertEquals((long) server.store.stats().eventsByKind().getOrDefault(1, 0L), kind1.lines().count());
        assertTrue(kind1.lines().allMatch(l -> l.contains("\"kind\":1,")));
        assertEquals(400, http.send(HttpRequest.newBuilder(uri("/api/export?until=yesterday")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());

        String stats = stats();
        assertEquals(stored, field(stats, "events"));
        // "events/s in" on the page counts imports too: every event the import handed to the writer (other tests may add theirs)
        assertTrue(field(stats, "events_imported") - importedBefore >= field(status, "events_processed"), stats);
        assertTrue(field(stats, "rss_bytes") > 0 && field(stats, "budget_bytes") == 256L << 20, stats);
        String metrics = http.send(HttpRequest.newBuilder(uri("/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("tern_store_events " + stored + ".0"), metrics);
        assertTrue(metrics.contains("tern_events_not_stored_total{reason=\"bad_signature\"}"), metrics);
        assertTrue(metrics.contains("tern_rocksdb_pending_compaction_bytes"), metrics);
        assertTrue(metrics.contains("jvm_memory_used_bytes"), metrics);
        assertEquals("ok\n", http.send(HttpRequest.newBuilder(uri("/healthz")).build(), HttpResponse.BodyHandlers.ofString()).body());
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(uri("/")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(page.body().contains("id=\"import-file\"") && page.headers().firstValue("ETag").isPresent());
    }

    private String stats() throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/api/stats")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Without owners the admin API serves loopback only; a proxy's X-Forwarded-For names a remote client. */
    @Test
    void adminEndpointsRefuseForwardedRemoteClients() throws Exception {
        HttpResponse<String> exp = http.send(HttpRequest.newBuilder(uri("/api/export")).header("X-Forwarded-For", "203.0.113.9").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, exp.statusCode());
        HttpResponse<String> imp = http.send(HttpRequest.newBuilder(uri("/api/import")).header("X-Forwarded-For", "10.0.0.1, 203.0.113.9")
                .POST(HttpRequest.BodyPublishers.ofString("{}\n")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, imp.statusCode());
        assertEquals(404, http.send(HttpRequest.newBuilder(uri("/api/import/nope")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }
}
