import dev.tern.event.Hex;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load generator for bench/blossom.sh.
 *   big   PORT FILE                 upload FILE with PUT /upload, then download it; MB/s each way (hash checked)
 *   small PORT IMAGES CLIENTS SECONDS  upload IMAGES small PNG-headed blobs, then CLIENTS concurrent clients GET
 *                                   random ones for SECONDS; requests/s and latency percentiles
 *   auth VERB SHA                   print a BUD-11 Authorization header for VERB on blob SHA (for curl)
 *   images PORT IMAGES FILE         upload IMAGES small blobs and write their paths to FILE (for wrk)
 */
public class BlossomBench {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    /** One key for every run of this program, so a later run's delete token names the same owner. */
    static final KeyPair KEYS = KeyPair.generate(new Random(42));

    public static void main(String[] a) throws Exception {
        switch (a[0]) {
            case "big" -> big(Integer.parseInt(a[1]), Path.of(a[2]));
            case "small" -> small(Integer.parseInt(a[1]), Integer.parseInt(a[2]), Integer.parseInt(a[3]), Integer.parseInt(a[4]));
            case "auth" -> System.out.println(auth(a[1], a[2]));
            case "images" -> Files.write(Path.of(a[3]), images(Integer.parseInt(a[1]), Integer.parseInt(a[2])).stream()
                    .map(sha -> "/" + sha + ".png").toList());
            default -> throw new IllegalArgumentException(a[0]);
        }
    }

    static String auth(String sha) {
        return auth("upload", sha);
    }

    static String auth(String verb, String sha) {
        long now = System.currentTimeMillis() / 1000;
        var e = Signer.sign(KEYS, now, 24242, List.of(List.of("t", verb), List.of("expiration", Long.toString(now + 3600)),
                List.of("x", sha)), "bench");
        return "Nostr " + Base64.getUrlEncoder().withoutPadding().encodeToString(e.json());
    }

    static String sha(Path f) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(f)) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        return Hex.encode(md.digest());
    }

    static void big(int port, Path file) throws Exception {
        String sha = sha(file);
        long size = Files.size(file);
        double mb = size / 1e6;
        long t0 = System.nanoTime();
        HttpResponse<String> up = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/upload"))
                .header("Authorization", auth(sha)).header("X-SHA-256", sha).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
        double upS = (System.nanoTime() - t0) / 1e9;
        if (up.statusCode() != 201 && up.statusCode() != 200) throw new IllegalStateException("upload: " + up.statusCode() + " " + up.body());
        System.out.printf("upload:   %.0f MB in %.2f s = %.1f MB/s%n", mb, upS, mb / upS);
        long t1 = System.nanoTime();
        HttpResponse<InputStream> down = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + sha)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        long got = 0;
        try (InputStream in = down.body()) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; got += n) md.update(buf, 0, n);
        }
        double downS = (System.nanoTime() - t1) / 1e9;
        if (got != size || !Hex.encode(md.digest()).equals(sha)) throw new IllegalStateException("download differs");
        System.out.printf("download: %.0f MB in %.2f s = %.1f MB/s (hashed by the client as it reads)%n", mb, downS, mb / downS);
    }

    /** Uploads {@code images} small PNG-headed blobs of 20-80 KB; answers their hashes. */
    static List<String> images(int port, int images) throws Exception {
        List<String> hashes = new ArrayList<>();
        Random r = new Random(1);
        for (int i = 0; i < images; i++) {
            byte[] b = new byte[20_000 + r.nextInt(60_000)];
            r.nextBytes(b);
            System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}, 0, b, 0, 8);
            String sha = Hex.encode(MessageDigest.getInstance("SHA-256").digest(b));
            HttpResponse<String> up = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/upload"))
                    .header("Authorization", auth(sha)).PUT(HttpRequest.BodyPublishers.ofByteArray(b)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (up.statusCode() >= 300) throw new IllegalStateException("upload: " + up.statusCode() + " " + up.body());
            hashes.add(sha);
        }
        return hashes;
    }

    static void small(int port, int images, int clients, int seconds) throws Exception {
        List<String> hashes = images(port, images);
        // one client, its pool keeping a keep-alive connection per concurrent request; virtual threads, so the
        // generator's own threads do not crowd the two cores the relay runs on
        HttpClient clientsHttp = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long[][] latencies = new long[clients][];
        AtomicLong failures = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        CountDownLatch done = new CountDownLatch(clients);
        for (int c = 0; c < clients; c++) {
            int id = c;
            Thread.ofVirtual().start(() -> {
                long[] lat = new long[1024];
                int n = 0;
                try {
                    while (System.nanoTime() < end) {
                        String sha = hashes.get(ThreadLocalRandom.current().nextInt(hashes.size()));
                        long t = System.nanoTime();
                        HttpResponse<byte[]> res = clientsHttp.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + sha + ".png"))
                                .build(), HttpResponse.BodyHandlers.ofByteArray());
                        long dt = System.nanoTime() - t;
                        if (res.statusCode() != 200) failures.incrementAndGet();
                        if (n == lat.length) lat = Arrays.copyOf(lat, n * 2);
                        lat[n++] = dt;
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                } finally {
                    latencies[id] = Arrays.copyOf(lat, n);
                    done.countDown();
                }
            });
        }
        done.await();
        long total = 0;
        for (long[] l : latencies) total += l.length;
        long[] all = new long[(int) total];
        int k = 0;
        for (long[] l : latencies) for (long v : l) all[k++] = v;
        Arrays.sort(all);
        System.out.printf("small images: %d clients, %d images of 20-80 KB, %d requests in %d s = %.0f req/s, p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d failures%n",
                clients, images, total, seconds, total / (double) seconds, all[all.length / 2] / 1e6,
                all[(int) (all.length * 0.99)] / 1e6, all[all.length - 1] / 1e6, failures.get());
    }
}
