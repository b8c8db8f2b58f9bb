package dev.tern.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import dev.tern.gen.EventGenerator;
import dev.tern.testing.JsonTree;
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
import java.util.Map;
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
        assertTrue(status.contains("\"state\":\"complete\""), status);
        assertEquals(4007, field(status, "lines_read"));
        assertEquals(body.length, field(status, "upload_bytes"));
        // the upload's deferred compactions had ended (and its families' options been restored) before it said so
        assertTrue(server.store.beginUpload());
        server.store.endUpload(false);
        String list = http.send(HttpRequest.newBuilder(uri("/api/import")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(list.startsWith("{\"imports\":[{\"id\":\"raw-upload-0000000001\""), list);
        assertEquals(409, http.send(HttpRequest.newBuilder(uri("/api/import?id=raw-upload-0000000001"))
                .POST(HttpRequest.BodyPublishers.ofString("")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    /** A multipart form with a note field and {@code file} as its {@code file} field, the way browsers and curl -F send it. */
    private HttpResponse<String> uploadForm(String query, String fileName, byte[] file) throws Exception {
        String boundary = "----terntest" + System.nanoTime();
        ByteArrayOutputStream form = new ByteArrayOutputStream();
        form.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName + "\"\r\n"
                + "Content-Type: application/gzip\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        form.writeBytes(file);
        form.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(uri("/api/import" + query))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void multipartGzipUploadThenExportAndFigures() throws Exception {
        byte[] file = generate(600, 7, true);
        long importedBefore = field(stats(), "events_imported");
        HttpResponse<String> r = uploadForm("", "dump.jsonl.gz", file);
        assertEquals(202, r.statusCode(), r.body());
        String id = r.body().replaceAll(".*\"id\":\"([0-9a-f]+)\".*\\s*", "$1");
        String status = awaitDone(id);
        assertTrue(status.contains("\"state\":\"complete\"") && status.contains("\"source\":\"dump.jsonl.gz\""), status);
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

    /**
     * One vocabulary: the state is named once, at the top, in the words the report uses; the source is named once;
     * unknown values are null, never -1; the list holds the same objects; errors are JSON.
     */
    @Test
    void importStatusNamesEachThingOnceWithNullForUnknownsAndJsonErrors() throws Exception {
        String id = "one-vocabulary-000001";
        HttpResponse<String> r = uploadForm("?id=" + id, "dump.jsonl.gz", generate(300, 7, true));
        assertEquals(202, r.statusCode(), r.body());
        Map<String, Object> status = JsonTree.object(awaitDone(id));
        assertEquals(List.of("id", "source", "state", "error", "upload_bytes", "upload_complete", "progress", "report", "rejected_lines"),
                List.copyOf(status.keySet()), status.toString());
        assertEquals("complete", status.get("state"));
        assertEquals("dump.jsonl.gz", status.get("source"));
        assertNull(status.get("error"));
        Map<String, Object> progress = JsonTree.at(status, "progress");
        Map<String, Object> report = JsonTree.at(status, "report");
        for (String once : List.of("id", "source", "state", "status", "error")) {
            assertFalse(progress.containsKey(once) || report.containsKey(once), once + " is named at the top only: " + status);
        }
        // a multipart upload's size is unknown to the relay: no total, so no ETA
        assertTrue(progress.containsKey("total_bytes") && progress.get("total_bytes") == null, progress.toString());
        assertTrue(progress.containsKey("eta_seconds") && progress.get("eta_seconds") == null, progress.toString());
        assertNoNegativeNumbers(status);

        @SuppressWarnings("unchecked")
        Map<String, Object> listed = (Map<String, Object>) ((List<?>) JsonTree.object(get("/api/import").body()).get("imports")).get(0);
        assertEquals(status.keySet(), listed.keySet());
        for (String same : List.of("id", "source", "state", "report", "rejected_lines")) assertEquals(status.get(same), listed.get(same), same);

        HttpResponse<String> again = http.send(HttpRequest.newBuilder(uri("/api/import?id=" + id))
                .POST(HttpRequest.BodyPublishers.ofString("")).build(), HttpResponse.BodyHandlers.ofString());
        assertJsonError(again, 409, "an import with id " + id + " exists");
        assertJsonError(get("/api/import/no-such-import"), 404, "no such import (the last " + Imports.KEEP + " are kept)");
        assertJsonError(get("/api/export?since=yesterday"), 400, "since must be a unix time in seconds, got 'yesterday'");
        assertJsonError(get("/api/nothing-here"), 404, "not found: /api/nothing-here");
        assertJsonError(http.send(HttpRequest.newBuilder(uri("/api/stats")).DELETE().build(), HttpResponse.BodyHandlers.ofString()),
                405, "DELETE is not allowed; use GET");
        assertJsonError(http.send(HttpRequest.newBuilder(uri("/api/sync")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()), 400, "url= is required (the ws:// or wss:// URL of the other relay)");
    }

    /** A raw body's Content-Length is the total: the progress then has one, and an ETA. */
    @Test
    void rawUploadKnowsItsTotal() throws Exception {
        byte[] body = generate(200, 0, false);
        String id = "raw-upload-with-total-1";
        assertEquals(202, http.send(HttpRequest.newBuilder(uri("/api/import?id=" + id))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        Map<String, Object> progress = JsonTree.at(JsonTree.object(awaitDone(id)), "progress");
        assertEquals((long) body.length, progress.get("total_bytes"));
        assertEquals(0.0, progress.get("eta_seconds"));
    }

    /** The same through POST /api/import: a cut .gz ends truncated with every whole line, not failed. */
    @Test
    void truncatedGzipUploadEndsTruncatedWithItsWholeLines() throws Exception {
        byte[] gz = generate(400, 0, true);
        byte[] cut = java.util.Arrays.copyOf(gz, gz.length * 2 / 3);
        long whole = 0;
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(cut), 1)) {
            for (int b; (b = in.read()) >= 0; ) if (b == '\n') whole++;
        } catch (java.io.EOFException expected) {
            // the cut
        }
        String id = "truncated-upload-00001";
        assertEquals(202, uploadForm("?id=" + id, "cut.jsonl.gz", cut).statusCode());
        Map<String, Object> status = JsonTree.object(awaitDone(id));
        assertEquals("truncated", status.get("state"), status.toString());
        assertEquals("the input is truncated (the gzip stream is cut off): the lines up to line " + whole
                + " were imported, the rest is missing", status.get("error"));
        assertEquals(whole, JsonTree.at(status, "report").get("truncated_after_line"));
        assertEquals(whole, JsonTree.at(status, "report").get("lines_read"));
        assertEquals(0L, JsonTree.at(status, "report").get("rejected"));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertJsonError(HttpResponse<String> r, int status, String error) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""), r.body());
        assertEquals(Map.of("error", error), JsonTree.object(r.body()));
    }

    private static void assertNoNegativeNumbers(Object json) {
        switch (json) {
            case Map<?, ?> m -> m.values().forEach(HttpApiTest::assertNoNegativeNumbers);
            case List<?> l -> l.forEach(HttpApiTest::assertNoNegativeNumbers);
            case Number n -> assertTrue(n.doubleValue() >= 0, "a sentinel leaked: " + n);
            case null, default -> { }
        }
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
