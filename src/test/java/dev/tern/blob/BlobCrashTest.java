package dev.tern.blob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.KeyPair;
import dev.tern.testing.ServeProcess;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `tern serve` killed with SIGKILL in the middle of an upload: after a restart the blob uploaded before is
 * whole and served, and nothing of the interrupted one is left, neither under its hash nor as a temp file.
 */
class BlobCrashTest {
    @TempDir
    Path dir;

    @Test
    void killDuringUploadLeavesNoPartialBlob() throws Exception {
        Path data = dir.resolve("data");
        Path tmp = data.resolve("blobs").resolve("tmp");
        KeyPair alice = KeyPair.generate();
        byte[] kept = BlobServerTest.png(50_000);
        String keptSha = BlobServerTest.sha(kept);
        byte[] cut = BlobServerTest.png(8_000_000);
        String cutSha = BlobServerTest.sha(cut);
        try (ServeProcess relay = ServeProcess.start(data, dir.resolve("1.log"), "--blossom-public-uploads", "true");
             Socket s = new Socket("127.0.0.1", relay.port)) {
            HttpResponse<String> up = BlobServerTest.HTTP.send(HttpRequest.newBuilder(relay.http("/upload"))
                    .header("Authorization", BlobRelay.auth(alice, "upload", keptSha))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(kept)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, up.statusCode());

            OutputStream out = s.getOutputStream();
            out.write(("PUT /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + BlobRelay.auth(alice, "upload", cutSha)
                    + "\r\nContent-Type: image/png\r\nContent-Length: " + cut.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(cut, 0, cut.length / 2);
            out.flush();
            // the half sent reaches the temp file; then the relay dies mid-upload
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (tempBytes(tmp) < cut.length / 4) {
                assertTrue(System.nanoTime() < deadline, "the upload never reached the disk");
                Thread.sleep(20);
            }
            relay.kill();
        }
        try (ServeProcess relay = ServeProcess.start(data, dir.resolve("2.log"))) {
            try (Stream<Path> left = Files.list(tmp)) {
                assertEquals(0, left.count(), "temp files are removed at start");
            }
            assertTrue(Files.notExists(new BlobFiles(data.resolve("blobs")).path(cutSha)));
            HttpResponse<byte[]> gone = BlobServerTest.HTTP.send(HttpRequest.newBuilder(relay.http("/" + cutSha)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(404, gone.statusCode());
            HttpResponse<byte[]> whole = BlobServerTest.HTTP.send(HttpRequest.newBuilder(relay.http("/" + keptSha)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, whole.statusCode());
            assertEquals(keptSha, BlobServerTest.sha(whole.body()));
        }
    }

    private static long tempBytes(Path tmp) throws java.io.IOException {
        long total = 0;
        try (Stream<Path> files = Files.list(tmp)) {
            for (Path p : (Iterable<Path>) files::iterator) total += Files.size(p);
        }
        return total;
    }
}
