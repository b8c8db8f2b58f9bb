package dev.tern.blob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.acl.AclMode;
import dev.tern.acl.AclSettings;
import dev.tern.acl.Identities;
import dev.tern.event.KeyPair;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blobs on an 8 MB tmpfs: an upload that does not fit gets 507 with its reason, leaves no temp file, and the
 * server goes on serving and storing what fits. Needs root (mount); skipped otherwise.
 */
class BlobDiskFullTest {
    @TempDir
    Path dir;

    @Test
    void aFullDiskIs507AndLeavesNothing() throws Exception {
        Path mnt = Files.createDirectory(dir.resolve("small"));
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mnt.toString()) == 0,
                "cannot mount a tmpfs here (needs root)");
        try {
            BlobSettings s = new BlobSettings(mnt.resolve("blobs"), 64 << 20, 0, 0, List.of(), true, true, "", false);
            try (BlobRelay relay = new BlobRelay(dir, AclSettings.defaults(AclMode.NONE, Identities.NONE), s, 2)) {
                KeyPair alice = KeyPair.generate();
                byte[] first = BlobServerTest.png(5 << 20), tooMuch = BlobServerTest.png(6 << 20), small = BlobServerTest.png(100_000);
                assertEquals(201, BlobAccessTest.put(relay, first, BlobRelay.auth(alice, "upload", BlobServerTest.sha(first)), null)
                        .statusCode());
                HttpResponse<String> full = BlobAccessTest.put(relay, tooMuch, BlobRelay.auth(alice, "upload",
                        BlobServerTest.sha(tooMuch)), null);
                assertEquals(507, full.statusCode());
                assertTrue(BlobServerTest.reason(full).contains("disk is full"), BlobServerTest.reason(full));
                try (var tmp = Files.list(mnt.resolve("blobs").resolve("tmp"))) {
                    assertEquals(0, tmp.count(), "the partial upload is gone");
                }
                assertEquals(201, BlobAccessTest.put(relay, small, BlobRelay.auth(alice, "upload", BlobServerTest.sha(small)), null)
                        .statusCode(), "what fits is still stored");
                HttpResponse<byte[]> get = BlobServerTest.HTTP.send(HttpRequest.newBuilder(relay.http("/" + BlobServerTest.sha(first)))
                        .build(), HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, get.statusCode());
                assertEquals(2, relay.blobs.blobCount());
            }
        } finally {
            run("umount", "-l", mnt.toString());
        }
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            return -1;
        }
        return p.exitValue();
    }
}
