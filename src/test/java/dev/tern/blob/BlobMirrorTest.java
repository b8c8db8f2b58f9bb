package dev.tern.blob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.acl.AclMode;
import dev.tern.acl.AclSettings;
import dev.tern.acl.Identities;
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
        return mirror(to.http("/mirror"), url, auth, headers);
    }

    static HttpResponse<String> mirror(java.net.URI endpoint, String url, String auth, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).header("Authorization", auth)
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

    @Test
    void nonPublicAddressesAreRefusedUnlessAllowed() throws Exception {
        KeyPair alice = KeyPair.generate();
        BlobSettings publicOnly = new BlobSettings(dir.resolve("blobs"), 1 << 20, 0, 0, java.util.List.of(), true, true, "", false);
        try (BlobRelay relay = new BlobRelay(dir, AclSettings.defaults(AclMode.NONE, Identities.NONE), publicOnly, 2)) {
            String sha = "e".repeat(64), token = BlobRelay.auth(alice, "upload", sha);
            int port = relay.relay.port();
            // the relay's own port by address and by name, then addresses refused before any connection is tried
            String[][] cases = {
                    {"http://127.0.0.1:" + port + "/" + sha, "127.0.0.1 (loopback)"},
                    {"http://localhost:" + port + "/" + sha, "(loopback)"},
                    {"http://[::1]:" + port + "/" + sha, "(loopback)"},
                    {"http://10.0.0.1/" + sha, "10.0.0.1 (private)"},
                    {"http://192.168.1.1/" + sha, "192.168.1.1 (private)"},
                    {"http://169.254.169.254/latest/meta-data/", "169.254.169.254 (link-local)"},
                    {"https://[fd00::1]/" + sha, "(unique-local)"},
                    {"http://224.0.0.1/" + sha, "224.0.0.1 (multicast)"},
                    {"http://0.0.0.0:" + port + "/" + sha, "(unspecified)"}};
            for (String[] c : cases) {
                HttpResponse<String> r = mirror(relay, c[0], token);
                assertEquals(403, r.statusCode(), c[0]);
                String reason = BlobServerTest.reason(r);
                assertTrue(reason.contains(c[1]) && reason.contains("TERN_BLOSSOM_MIRROR_PRIVATE"), c[0] + ": " + reason);
            }
            assertEquals(0, relay.blobs.blobCount());
        }
    }

    @Test
    void redirectsAndChunkedAnswersAreFollowed() throws Exception {
        KeyPair alice = KeyPair.generate();
        byte[] blob = BlobServerTest.png(70_000);
        String sha = BlobServerTest.sha(blob);
        try (BlobRelay relay = BlobRelay.open(dir);
             TestOrigin origin = new TestOrigin((path, out, self) -> {
                 if (path.equals("/moved")) {
                     out.write(TestOrigin.ascii("HTTP/1.1 302 Found\r\nLocation: /blob?x=1\r\nContent-Length: 0\r\n\r\n"));
                     return;
                 }
                 out.write(TestOrigin.ascii("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n"));
                 for (int off = 0; off < blob.length; off += 30_000) {
                     int n = Math.min(30_000, blob.length - off);
                     out.write(TestOrigin.ascii(Integer.toHexString(n) + ";ext=1\r\n"));
                     out.write(blob, off, n);
                     out.write(TestOrigin.ascii("\r\n"));
                 }
                 out.write(TestOrigin.ascii("0\r\nX-Trailer: y\r\n\r\n"));
             })) {
            HttpResponse<String> ok = mirror(relay, origin.url("/moved"), BlobRelay.auth(alice, "upload", sha));
            assertEquals(201, ok.statusCode(), BlobServerTest.reason(ok));
            assertTrue(ok.body().contains("\"size\":70000") && ok.body().contains("\"type\":\"image/png\""), ok.body());
        }
    }

    @Test
    void aStalledOriginIsCutOffAndFreesItsTransferSlot() throws Exception {
        KeyPair alice = KeyPair.generate();
        byte[] blob = BlobServerTest.png(50_000);
        String sha = BlobServerTest.sha(blob);
        var timeouts = new dev.tern.http.HttpTimeouts(java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(1), 1024);
        // one transfer slot: the mirror after a stalled one gets it only if the stall was cut off
        try (BlobRelay relay = new BlobRelay(dir, AclSettings.defaults(AclMode.NONE, Identities.NONE),
                BlobRelay.settings(dir, 1 << 20, java.util.List.of(), true), 1, timeouts);
             TestOrigin origin = new TestOrigin((path, out, self) -> {
                 String head = "HTTP/1.1 200 OK\r\nContent-Length: " + blob.length + "\r\n\r\n";
                 switch (path) {
                     case "/silent" -> {
                         out.write(TestOrigin.ascii(head));
                         out.write(blob, 0, 1000);
                         out.flush();
                     }
                     case "/trickle" -> {
                         out.write(TestOrigin.ascii(head));
                         for (int i = 0; i < blob.length; i += 10) {
                             out.write(blob, i, 10);
                             out.flush();
                             Thread.sleep(100); // the origin's pace: 100 bytes/s
                         }
                     }
                     case "/nohead" -> { }
                     default -> {
                         out.write(TestOrigin.ascii(head));
                         out.write(blob);
                         return;
                     }
                 }
                 out.flush();
                 self.stall();
             })) {
            String token = BlobRelay.auth(alice, "upload", sha);
            HttpResponse<String> silent = mirror(relay, origin.url("/silent"), token);
            assertEquals(502, silent.statusCode());
            assertTrue(BlobServerTest.reason(silent).contains("the origin stalled: nothing received for 1 s"), BlobServerTest.reason(silent));
            HttpResponse<String> noHead = mirror(relay, origin.url("/nohead"), token);
            assertEquals(502, noHead.statusCode());
            assertTrue(BlobServerTest.reason(noHead).contains("nothing received for 1 s"), BlobServerTest.reason(noHead));
            HttpResponse<String> trickle = mirror(relay, origin.url("/trickle"), token);
            assertEquals(502, trickle.statusCode());
            assertTrue(BlobServerTest.reason(trickle).contains("fewer than 1024 bytes/s for 1 s"), BlobServerTest.reason(trickle));
            try (var tmp = Files.list(relay.blobs.files.root().resolve("tmp"))) {
                assertEquals(0, tmp.count(), "nothing left of the cut-off mirrors");
            }
            HttpResponse<String> ok = mirror(relay, origin.url("/whole"), token);
            assertEquals(201, ok.statusCode(), BlobServerTest.reason(ok));
        }
    }
}
