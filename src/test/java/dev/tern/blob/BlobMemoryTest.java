package dev.tern.blob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Hex;
import dev.tern.event.KeyPair;
import dev.tern.testing.ServeProcess;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A blob larger than the whole memory budget goes up and comes down through `tern serve --memory 256` and the
 * process's peak RSS stays under the budget: both directions stream (issue 20: a 1 GiB blob under --memory 256).
 */
class BlobMemoryTest {
    static final long SIZE = 1L << 30;
    static final long BUDGET = 256L << 20;

    @TempDir
    Path dir;

    /** The same SIZE bytes every time, generated as they are read. */
    static InputStream generated() {
        return new InputStream() {
            long pos;

            @Override
            public int read() {
                return pos < SIZE ? (int) (pos++ * 31 & 0xff) : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= SIZE) return -1;
                int n = (int) Math.min(len, SIZE - pos);
                for (int i = 0; i < n; i++) b[off + i] = (byte) (pos++ * 31);
                return n;
            }
        };
    }

    @Test
    void aBlobLargerThanTheBudgetStaysInIt() throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = generated()) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) sha.update(buf, 0, n);
        }
        String hash = Hex.encode(sha.digest());
        KeyPair alice = KeyPair.generate();
        // `tern serve --memory 256` with the launcher's heap and JVM flags for that budget
        try (ServeProcess relay = ServeProcess.startAsLauncher(dir.resolve("data"), dir.resolve("relay.log"),
                "--blossom-public-uploads", "true", "--blossom-max-blob-bytes", Long.toString(SIZE))) {
            HttpResponse<String> up = BlobServerTest.HTTP.send(HttpRequest.newBuilder(relay.http("/upload"))
                    .header("Authorization", BlobRelay.auth(alice, "upload", hash)).header("X-SHA-256", hash)
                    .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(BlobMemoryTest::generated), SIZE))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, up.statusCode(), BlobServerTest.reason(up));

            HttpResponse<InputStream> down = BlobServerTest.HTTP.send(HttpRequest.newBuilder(relay.http("/" + hash)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            MessageDigest got = MessageDigest.getInstance("SHA-256");
            long total = 0;
            try (InputStream in = down.body()) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; total += n) got.update(buf, 0, n);
            }
            assertEquals(SIZE, total);
            assertEquals(hash, Hex.encode(got.digest()));

            String stats = BlobServerTest.HTTP.send(HttpRequest.newBuilder(relay.http("/api/stats")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile("\"peak_rss_bytes\":(\\d+)").matcher(stats);
            assertTrue(m.find(), stats);
            long peak = Long.parseLong(m.group(1));
            System.out.printf("BlobMemoryTest: %d MiB up and down, peak RSS %d MiB (budget %d MiB)%n", SIZE >> 20, peak >> 20, BUDGET >> 20);
            assertTrue(peak < BUDGET, "peak RSS " + (peak >> 20) + " MiB over the 256 MiB budget");
        }
    }
}
