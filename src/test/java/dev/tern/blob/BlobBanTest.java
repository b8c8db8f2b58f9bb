package dev.tern.blob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.acl.AclMode;
import dev.tern.acl.AclSettings;
import dev.tern.acl.Identities;
import dev.tern.event.ByteKey;
import dev.tern.event.KeyPair;
import dev.tern.testing.ServeProcess;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A NIP-86 ban takes the pubkey's blobs with it (a blob shared with another owner stays), and refuses its
 * uploads and mirrors from then on; a ban whose removal a crash interrupted is finished at the next start.
 */
class BlobBanTest {
    @TempDir
    Path dir;

    static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return BlobServerTest.HTTP.send(b.timeout(java.time.Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> upload(URI url, byte[] blob, KeyPair who) throws Exception {
        return send(HttpRequest.newBuilder(url).header("Authorization", BlobRelay.auth(who, "upload", BlobServerTest.sha(blob)))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(blob)));
    }

    @Test
    void aNip86BanRemovesThePubkeysBlobsAndRefusesItsUploads() throws Exception {
        KeyPair alice = KeyPair.generate(), bob = KeyPair.generate();
        byte[] own = BlobServerTest.png(2000), shared = BlobServerTest.png(2001), later = BlobServerTest.png(2002);
        String ownSha = BlobServerTest.sha(own), sharedSha = BlobServerTest.sha(shared);
        Path data = dir.resolve("data");
        // the whole command: its NIP-86 route, managed mode and the Blossom server wired as serve wires them
        try (ServeProcess relay = ServeProcess.start(data, dir.resolve("relay.log"), "--acl-mode", "managed",
                "--blossom-public-uploads", "true")) {
            assertEquals(201, upload(relay.http("/upload"), own, alice).statusCode());
            assertEquals(201, upload(relay.http("/upload"), shared, alice).statusCode());
            assertEquals(200, upload(relay.http("/upload"), shared, bob).statusCode());
            Path ownFile = new BlobFiles(data.resolve("blobs")).path(ownSha);
            assertTrue(Files.exists(ownFile));

            // loopback is admin while no owners are configured
            HttpResponse<String> ban = send(HttpRequest.newBuilder(relay.http("/")).header("Content-Type", "application/nostr+json+rpc")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"method\":\"banpubkey\",\"params\":[\"" + alice.publicKeyHex() + "\",\"spam\"]}")));
            assertEquals(200, ban.statusCode(), ban.body());
            assertEquals("{\"result\":true}", ban.body());

            assertEquals(404, send(HttpRequest.newBuilder(relay.http("/" + ownSha))).statusCode());
            assertTrue(Files.notExists(ownFile), "the file went with its last owner");
            assertEquals(200, send(HttpRequest.newBuilder(relay.http("/" + sharedSha))).statusCode(), "bob still owns it");
            assertEquals("[]", send(HttpRequest.newBuilder(relay.http("/list/" + alice.publicKeyHex()))).body());
            assertTrue(send(HttpRequest.newBuilder(relay.http("/list/" + bob.publicKeyHex()))).body().contains(sharedSha));
            String stats = send(HttpRequest.newBuilder(relay.http("/api/stats"))).body();
            assertTrue(stats.contains("\"blobs\":{\"count\":1,\"bytes\":2001,"), stats);

            HttpResponse<String> refused = upload(relay.http("/upload"), later, alice);
            assertEquals(403, refused.statusCode());
            assertEquals("blocked: your pubkey is banned", BlobServerTest.reason(refused));
            HttpResponse<String> check = send(HttpRequest.newBuilder(relay.http("/upload")).method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .header("Authorization", BlobRelay.auth(alice, "upload", BlobServerTest.sha(later)))
                    .header("X-SHA-256", BlobServerTest.sha(later)).header("X-Content-Length", "2002"));
            assertEquals(403, check.statusCode());
            HttpResponse<String> mirror = BlobMirrorTest.mirror(relay.http("/mirror"), relay.http("/" + sharedSha).toString(),
                    BlobRelay.auth(alice, "upload", sharedSha));
            assertEquals(403, mirror.statusCode());
            assertEquals("blocked: your pubkey is banned", BlobServerTest.reason(mirror));
        }
    }

    @Test
    void aBanWhoseRemovalWasInterruptedIsFinishedAtStart() throws Exception {
        KeyPair alice = KeyPair.generate();
        byte[] blob = BlobServerTest.png(3000);
        AclSettings managed = AclSettings.defaults(AclMode.MANAGED, Identities.NONE);
        BlobSettings settings = BlobRelay.settings(dir, 1 << 20, java.util.List.of(), true);
        try (BlobRelay relay = new BlobRelay(dir, managed, settings, 2)) {
            assertEquals(201, upload(relay.http("/upload"), blob, alice).statusCode());
            // the ban's meta value alone, as if the relay died before the blobs' removal
            CompletableFuture<Void> banned = new CompletableFuture<>();
            assertTrue(relay.writer.offerTask(m -> {
                relay.acl.managed().banPubkey(m::putMeta, ByteKey.of(alice.publicKey()), "spam");
                banned.complete(null);
            }));
            banned.get(30, TimeUnit.SECONDS);
            assertEquals(1, relay.blobs.blobCount());
        }
        try (BlobRelay relay = new BlobRelay(dir, managed, settings, 2)) {
            // queued for the writer at start, ahead of any request
            assertEquals(404, send(HttpRequest.newBuilder(relay.http("/" + BlobServerTest.sha(blob)))).statusCode());
            assertEquals(0, relay.blobs.blobCount());
            assertTrue(Files.notExists(relay.blobs.files.path(BlobServerTest.sha(blob))));
        }
    }
}
