package dev.tern.blob;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tern.acl.AclMode;
import dev.tern.acl.AclSettings;
import dev.tern.acl.Identities;
import dev.tern.event.KeyPair;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Concurrent uploads of one blob store one file, count every owner once and answer 201 exactly once. */
class BlobConcurrencyTest {
    static final int UPLOADERS = 8;

    @TempDir
    Path dir;

    @Test
    void concurrentUploadsOfOneBlob() throws Exception {
        BlobSettings s = BlobRelay.settings(dir, 10 << 20, List.of(), true);
        try (BlobRelay relay = new BlobRelay(dir, AclSettings.defaults(AclMode.NONE, Identities.NONE), s, UPLOADERS);
             ExecutorService pool = Executors.newFixedThreadPool(UPLOADERS * 2)) {
            byte[] blob = BlobServerTest.png(2_000_000);
            String sha = BlobServerTest.sha(blob);
            KeyPair alice = KeyPair.generate();
            List<KeyPair> others = new ArrayList<>();
            for (int i = 0; i < UPLOADERS / 2; i++) others.add(KeyPair.generate());
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < UPLOADERS / 2; i++) {
                KeyPair k = others.get(i);
                answers.add(pool.submit(() -> BlobAccessTest.put(relay, blob, BlobRelay.auth(alice, "upload", sha), null)));
                answers.add(pool.submit(() -> BlobAccessTest.put(relay, blob, BlobRelay.auth(k, "upload", sha), null)));
            }
            int created = 0;
            for (Future<HttpResponse<String>> f : answers) {
                HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
                if (r.statusCode() == 201) created++;
                else assertEquals(200, r.statusCode(), BlobServerTest.reason(r));
            }
            assertEquals(1, created, "one upload stored it, the others found it stored");
            assertEquals(1, relay.blobs.blobCount());
            assertEquals(1 + UPLOADERS / 2, relay.blobs.index.meta(sha).owners(), "alice once, and each other uploader");
            assertEquals(new BlobIndex.Usage(blob.length, 1), relay.blobs.index.usage(alice.publicKeyHex()));
            try (var tmp = Files.list(relay.blobs.files.root().resolve("tmp"))) {
                assertEquals(0, tmp.count());
            }
            assertEquals(blob.length, Files.size(relay.blobs.files.path(sha)));
        }
    }
}
