package dev.tern.blob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.acl.AclMode;
import dev.tern.acl.AclSettings;
import dev.tern.acl.Identities;
import dev.tern.event.KeyPair;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may upload follows the relay's ACL (owners and admins always), quotas, and the type limit. */
class BlobAccessTest {
    @TempDir
    Path dir;

    static HttpResponse<String> put(BlobRelay relay, byte[] blob, String auth, String type) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(relay.http("/upload")).PUT(HttpRequest.BodyPublishers.ofByteArray(blob))
                .header("Authorization", auth);
        if (type != null) b.header("Content-Type", type);
        return BlobServerTest.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void onlyOwnersAndAdminsUnlessUploadsArePublic() throws Exception {
        KeyPair owner = KeyPair.generate(), stranger = KeyPair.generate();
        Identities ids = new Identities(Set.of(dev.tern.event.ByteKey.of(owner.publicKey())), Set.of());
        BlobSettings s = new BlobSettings(dir.resolve("blobs"), 1 << 20, 100, 1, List.of("image/*"), false, true, "", false);
        try (BlobRelay relay = new BlobRelay(dir, AclSettings.defaults(AclMode.NONE, ids), s, 2)) {
            byte[] a = BlobServerTest.png(500), b = BlobServerTest.png(501);
            String shaA = BlobServerTest.sha(a), shaB = BlobServerTest.sha(b);
            HttpResponse<String> refused = put(relay, a, BlobRelay.auth(stranger, "upload", shaA), null);
            assertEquals(403, refused.statusCode());
            assertTrue(BlobServerTest.reason(refused).contains("owners and admins"), BlobServerTest.reason(refused));
            // the owner has no quota: two blobs over a quota of one blob and 100 bytes
            assertEquals(201, put(relay, a, BlobRelay.auth(owner, "upload", shaA), null).statusCode());
            assertEquals(201, put(relay, b, BlobRelay.auth(owner, "upload", shaB), null).statusCode());
            HttpResponse<String> text = put(relay, "hello".getBytes(), BlobRelay.auth(owner, "upload",
                    BlobServerTest.sha("hello".getBytes())), "text/plain");
            assertEquals(415, text.statusCode());
        }
    }

    @Test
    void quotasAndBansForEveryoneElse() throws Exception {
        KeyPair alice = KeyPair.generate();
        BlobSettings s = new BlobSettings(dir.resolve("blobs"), 1 << 20, 1000, 1, List.of(), true, true, "", false);
        try (BlobRelay relay = new BlobRelay(dir, AclSettings.defaults(AclMode.NONE, Identities.NONE), s, 2)) {
            byte[] a = BlobServerTest.png(500), b = BlobServerTest.png(501);
            assertEquals(201, put(relay, a, BlobRelay.auth(alice, "upload", BlobServerTest.sha(a)), null).statusCode());
            HttpResponse<String> over = put(relay, b, BlobRelay.auth(alice, "upload", BlobServerTest.sha(b)), null);
            assertEquals(429, over.statusCode());
            assertTrue(BlobServerTest.reason(over).contains("quota"), BlobServerTest.reason(over));
            assertEquals(1, relay.blobs.blobCount());
            try (var tmp = java.nio.file.Files.list(relay.blobs.files.root().resolve("tmp"))) {
                assertEquals(0, tmp.count());
            }
        }
    }
}
