package dev.tern.blob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.KeyPair;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BUD-04: a mirror keeps the blob only if its hash is what the token and X-SHA-256 promise; a failed origin is 502. */
class BlobMirrorTest {
    @TempDir
    Path dir;

    static HttpResponse<String> mirror(BlobRelay to, String url, String auth, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(to.http("/mirror")).header("Authorization", auth)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + url + "\"}"));
        if (headers.length > 0) b.headers(headers);
        return BlobServerTest.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void mirrorsOnlyTheBlobItWasPromised() throws Exception {
        KeyPair alice = KeyPair.generate();
        try (BlobRelay a = BlobRelay.open(Files.createDirectory(dir.resolve("a")));
             BlobRelay b = BlobRelay.open(Files.createDirectory(dir.resolve("b")))) {
            byte[] blob = BlobServerTest.png(40_000);
            String sha = BlobServerTest.sha(blob);
            String other = "e".repeat(64);
            HttpResponse<String> up = BlobAccessTest.put(a, blob, BlobRelay.auth(alice, "upload", sha), null);
            assertEquals(201, up.statusCode());
            String url = a.http("/" + sha + ".png").toString();

            HttpResponse<String> wrongToken = mirror(b, url, BlobRelay.auth(alice, "upload", other));
            assertEquals(401, wrongToken.statusCode());
            assertTrue(BlobServerTest.reason(wrongToken).contains("no x tag for blob " + sha), BlobServerTest.reason(wrongToken));
            HttpResponse<String> wrongHash = mirror(b, url, BlobRelay.auth(alice, "upload", sha, other), "X-SHA-256", other);
            assertEquals(409, wrongHash.statusCode());
            assertEquals(0, b.blobs.blobCount());
            try (var tmp = Files.list(b.blobs.files.root().resolve("tmp"))) {
                assertEquals(0, tmp.count(), "nothing left of the refused mirrors");
            }

            assertEquals(502, mirror(b, a.http("/" + other).toString(), BlobRelay.auth(alice, "upload", other)).statusCode());
            assertEquals(400, mirror(b, "ftp://127.0.0.1/x", BlobRelay.auth(alice, "upload", sha)).statusCode());

            HttpResponse<String> ok = mirror(b, url, BlobRelay.auth(alice, "upload", sha), "X-SHA-256", sha);
            assertEquals(201, ok.statusCode(), BlobServerTest.reason(ok));
            assertTrue(ok.body().contains("\"type\":\"image/png\"") && ok.body().contains("\"nip94\""), ok.body());
            assertEquals(1, b.blobs.blobCount());
            assertEquals(200, mirror(b, url, BlobRelay.auth(alice, "upload", sha)).statusCode(), "already stored");
        }
    }
}
