package dev.tern.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Hex;
import dev.tern.event.KeyPair;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Blossom end to end over HTTP: upload, get (whole, HEAD, ranges, ETag), list, delete, CORS (BUD-01/02/06/12). */
class BlobServerTest {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;
    BlobRelay relay;
    final KeyPair alice = KeyPair.generate();

    @BeforeEach
    void start() throws Exception {
        relay = BlobRelay.open(dir);
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    static String sha(byte[] b) throws Exception {
        return Hex.encode(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static byte[] png(int size) {
        byte[] b = new byte[size];
        new java.util.Random(size).nextBytes(b);
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}, 0, b, 0, 8);
        return b;
    }

    HttpResponse<byte[]> put(String path, byte[] body, String auth, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(relay.http(path)).timeout(Duration.ofSeconds(20))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        if (auth != null) b.header("Authorization", auth);
        if (headers.length > 0) b.headers(headers);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(relay.http(path)).timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) b.headers(headers);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String body(HttpResponse<byte[]> r) {
        return new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    static String reason(HttpResponse<?> r) {
        return r.headers().firstValue("x-reason").orElse("");
    }

    @Test
    void uploadGetListDelete() throws Exception {
        byte[] blob = png(100_000);
        String sha = sha(blob);
        HttpResponse<byte[]> up = put("/upload", blob, BlobRelay.auth(alice, "upload", sha), "X-SHA-256", sha);
        assertEquals(201, up.statusCode(), reason(up));
        String d = body(up);
        assertTrue(d.contains("\"sha256\":\"" + sha + "\"") && d.contains("\"size\":100000") && d.contains("\"type\":\"image/png\""), d);
        assertTrue(d.contains("\"url\":\"http://127.0.0.1:" + relay.relay.port() + "/" + sha + ".png\""), d);
        assertTrue(d.contains("\"nip94\":[[\"url\",") && d.contains("[\"x\",\"" + sha + "\"]") && d.contains("[\"m\",\"image/png\"]"), d);
        assertEquals("*", up.headers().firstValue("access-control-allow-origin").orElseThrow());
        assertTrue(Files.exists(relay.blobs.files.path(sha)));
        assertEquals(200, put("/upload", blob, BlobRelay.auth(alice, "upload", sha)).statusCode(), "the same blob again");

        HttpResponse<byte[]> get = send("GET", "/" + sha + ".jpg"); // any extension: the stored type answers
        assertEquals(200, get.statusCode());
        assertArrayEquals(blob, get.body());
        assertEquals("image/png", get.headers().firstValue("content-type").orElseThrow());
        assertEquals("bytes", get.headers().firstValue("accept-ranges").orElseThrow());
        assertEquals("\"" + sha + "\"", get.headers().firstValue("etag").orElseThrow());
        assertTrue(get.headers().firstValue("cache-control").orElseThrow().contains("immutable"));
        assertEquals("*", get.headers().firstValue("access-control-allow-origin").orElseThrow());

        HttpResponse<byte[]> head = send("HEAD", "/" + sha);
        assertEquals(200, head.statusCode());
        assertEquals("100000", head.headers().firstValue("content-length").orElseThrow());
        assertEquals(0, head.body().length);

        HttpResponse<byte[]> part = send("GET", "/" + sha, "Range", "bytes=10-19");
        assertEquals(206, part.statusCode());
        assertArrayEquals(Arrays.copyOfRange(blob, 10, 20), part.body());
        assertEquals("bytes 10-19/100000", part.headers().firstValue("content-range").orElseThrow());
        HttpResponse<byte[]> tail = send("GET", "/" + sha, "Range", "bytes=-5");
        assertArrayEquals(Arrays.copyOfRange(blob, 99_995, 100_000), tail.body());
        HttpResponse<byte[]> outside = send("GET", "/" + sha, "Range", "bytes=100000-");
        assertEquals(416, outside.statusCode());
        assertEquals("bytes */100000", outside.headers().firstValue("content-range").orElseThrow());
        assertEquals(304, send("GET", "/" + sha, "If-None-Match", "\"" + sha + "\"").statusCode());

        assertEquals(404, send("GET", "/" + "0".repeat(64)).statusCode());
        assertEquals(404, send("GET", "/not-a-hash").statusCode());

        HttpResponse<byte[]> list = send("GET", "/list/" + alice.publicKeyHex());
        assertEquals(200, list.statusCode());
        assertTrue(body(list).startsWith("[{") && body(list).contains(sha), body(list));
        assertEquals("[]", body(send("GET", "/list/" + alice.publicKeyHex() + "?until=1000")));
        assertEquals("[]", body(send("GET", "/list/" + alice.publicKeyHex() + "?cursor=" + sha)));

        HttpResponse<byte[]> wrongBlob = send("DELETE", "/" + sha, "Authorization", BlobRelay.auth(alice, "delete", "1".repeat(64)));
        assertEquals(401, wrongBlob.statusCode());
        KeyPair bob = KeyPair.generate();
        assertEquals(404, send("DELETE", "/" + sha, "Authorization", BlobRelay.auth(bob, "delete", sha)).statusCode(),
                "only an owner deletes its copy");
        assertEquals(200, send("DELETE", "/" + sha, "Authorization", BlobRelay.auth(alice, "delete", sha)).statusCode());
        assertEquals(404, send("GET", "/" + sha).statusCode());
        assertFalse(Files.exists(relay.blobs.files.path(sha)));
        assertEquals(0, relay.blobs.blobCount());
    }

    @Test
    void theFileStaysUntilItsLastOwnerDeletesIt() throws Exception {
        byte[] blob = png(5000);
        String sha = sha(blob);
        KeyPair bob = KeyPair.generate();
        assertEquals(201, put("/upload", blob, BlobRelay.auth(alice, "upload", sha)).statusCode());
        assertEquals(200, put("/upload", blob, BlobRelay.auth(bob, "upload", sha)).statusCode(), "BUD-02: stored already");
        assertEquals(1, relay.blobs.blobCount());
        assertEquals(200, send("DELETE", "/" + sha, "Authorization", BlobRelay.auth(alice, "delete", sha)).statusCode());
        assertEquals(200, send("GET", "/" + sha).statusCode(), "bob still owns it");
        assertEquals(200, send("DELETE", "/" + sha, "Authorization", BlobRelay.auth(bob, "delete", sha)).statusCode());
        assertEquals(404, send("GET", "/" + sha).statusCode());
        assertFalse(Files.exists(relay.blobs.files.path(sha)));
    }

    @Test
    void hashMismatchIsRefusedAndLeavesNothing() throws Exception {
        byte[] blob = png(3000);
        String other = sha(png(3001));
        HttpResponse<byte[]> r = put("/upload", blob, BlobRelay.auth(alice, "upload", other), "X-SHA-256", other);
        assertEquals(409, r.statusCode());
        assertTrue(reason(r).contains(sha(blob)), reason(r));
        // no X-SHA-256, and a token for another blob: the hash is known only once the body is in
        HttpResponse<byte[]> r2 = put("/upload", blob, BlobRelay.auth(alice, "upload", other));
        assertEquals(401, r2.statusCode(), reason(r2));
        assertEquals(0, relay.blobs.blobCount());
        try (var files = Files.list(relay.blobs.files.root().resolve("tmp"))) {
            assertEquals(0, files.count(), "no temp file left");
        }
    }

    @Test
    void uploadRequirementsAndLimits() throws Exception {
        byte[] blob = png(2000);
        String sha = sha(blob);
        String token = BlobRelay.auth(alice, "upload", sha);
        HttpResponse<byte[]> ok = send("HEAD", "/upload", "Authorization", token, "X-SHA-256", sha, "X-Content-Length", "2000",
                "X-Content-Type", "image/png");
        assertEquals(200, ok.statusCode(), reason(ok));
        HttpResponse<byte[]> noLength = send("HEAD", "/upload", "Authorization", token, "X-SHA-256", sha);
        assertEquals(411, noLength.statusCode());
        assertFalse(reason(noLength).isEmpty());
        assertEquals(413, send("HEAD", "/upload", "Authorization", token, "X-SHA-256", sha, "X-Content-Length",
                Long.toString(20L << 20)).statusCode());
        assertEquals(400, send("HEAD", "/upload", "Authorization", token, "X-SHA-256", "XYZ", "X-Content-Length", "1").statusCode());
        assertEquals(401, send("HEAD", "/upload", "X-SHA-256", sha, "X-Content-Length", "1").statusCode());

        // a body over the limit, announced by its Content-Length
        byte[] big = new byte[(10 << 20) + 1];
        HttpResponse<byte[]> tooBig = put("/upload", big, BlobRelay.auth(alice, "upload", sha(big)));
        assertEquals(413, tooBig.statusCode());
        // a chunked body has no Content-Length
        HttpResponse<byte[]> chunked = HTTP.send(HttpRequest.newBuilder(relay.http("/upload"))
                .header("Authorization", token).PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(blob)))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(411, chunked.statusCode());
        assertEquals(0, relay.blobs.blobCount());
    }

    @Test
    void corsPreflight() throws Exception {
        HttpResponse<byte[]> r = send("OPTIONS", "/upload", "Origin", "https://app.example", "Access-Control-Request-Method", "PUT");
        assertEquals(204, r.statusCode());
        assertEquals("*", r.headers().firstValue("access-control-allow-origin").orElseThrow());
        assertTrue(r.headers().firstValue("access-control-allow-headers").orElseThrow().contains("Authorization, *"));
        String methods = r.headers().firstValue("access-control-allow-methods").orElseThrow();
        for (String m : new String[] {"GET", "HEAD", "PUT", "DELETE"}) assertTrue(methods.contains(m), methods);
    }

    @Test
    void theOperatorRemovesEveryBlobOfAPubkey() throws Exception {
        KeyPair bob = KeyPair.generate();
        byte[] own = png(1000), shared = png(1001);
        assertEquals(201, put("/upload", own, BlobRelay.auth(alice, "upload", sha(own))).statusCode());
        assertEquals(201, put("/upload", shared, BlobRelay.auth(alice, "upload", sha(shared))).statusCode());
        assertEquals(200, put("/upload", shared, BlobRelay.auth(bob, "upload", sha(shared))).statusCode());
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(relay.http("/api/blobs/remove?pubkey=" + alice.publicKeyHex()))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), reason(r));
        assertEquals("{\"removed\":2}", body(r));
        assertEquals(404, send("GET", "/" + sha(own)).statusCode());
        assertEquals(200, send("GET", "/" + sha(shared)).statusCode(), "bob still owns it");
        assertEquals("[]", body(send("GET", "/list/" + alice.publicKeyHex())));
    }
}
