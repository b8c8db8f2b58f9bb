import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import dev.tern.metrics.ProcessCpu;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load generator for the relay benchmarks (bench/relay.sh). Plain blocking sockets speaking WebSocket,
 * one thread per connection, so the generator itself stays cheap.
 *   publish PORT FILE CONNECTIONS WINDOW   send every line of FILE as an EVENT, WINDOW unanswered per connection
 *   query   PORT FILE SECONDS [DATA_DIR]   REQ mix against a store loaded from FILE; latency to EOSE. With DATA_DIR,
 *                                          its files are read once first, so the OS page cache holds the store
 *   fanout  PORT SUBS EVENTS RATE          SUBS live subscriptions, EVENTS published at RATE/s; delivery latency
 *   mixed   PORT FILE CONNECTIONS SECONDS  each connection alternates an EVENT from FILE (OK) and a REQ by author
 *                                          (EOSE), one at a time, for SECONDS (reliability/load.sh, soak.sh)
 */
public final class RelayBench {
    static final int MAX_MESSAGE_BYTES = 262_144;

    public static void main(String[] a) throws Exception {
        switch (a[0]) {
            case "publish" -> publish(Integer.parseInt(a[1]), Path.of(a[2]), Integer.parseInt(a[3]), Integer.parseInt(a[4]));
            case "query" -> query(Integer.parseInt(a[1]), Path.of(a[2]), Integer.parseInt(a[3]), a.length > 4 ? Path.of(a[4]) : null);
            case "fanout" -> fanout(Integer.parseInt(a[1]), Integer.parseInt(a[2]), Integer.parseInt(a[3]), Integer.parseInt(a[4]),
                    a.length > 5 ? Integer.parseInt(a[5]) : Integer.parseInt(a[1]));
            case "mixed" -> mixed(Integer.parseInt(a[1]), Path.of(a[2]), Integer.parseInt(a[3]), Integer.parseInt(a[4]));
            default -> throw new IllegalArgumentException(a[0]);
        }
    }

    // ---- mixed (reliability/load.sh, soak.sh) ----

    static void mixed(int port, Path file, int conns, int seconds) throws Exception {
        List<byte[]> events = new ArrayList<>();
        List<String> authors = new ArrayList<>();
        Pattern pubkey = Pattern.compile("\"pubkey\":\"([0-9a-f]{64})\"");
        try (BufferedReader r = Files.newBufferedReader(file)) {
            for (String l; (l = r.readLine()) != null; ) {
                byte[] m = ("[\"EVENT\"," + l + "]").getBytes(StandardCharsets.UTF_8);
                if (l.isBlank() || m.length > MAX_MESSAGE_BYTES) continue;
                events.add(m);
                Matcher pm = pubkey.matcher(l);
                if (pm.find() && authors.size() < 10_000) authors.add(pm.group(1));
            }
        }
        AtomicLong nextEvent = new AtomicLong(), oks = new AtomicLong(), okFalse = new AtomicLong(), eoses = new AtomicLong(), failed = new AtomicLong();
        List<Long> okNanos = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Long> reqNanos = java.util.Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        CountDownLatch done = new CountDownLatch(conns);
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < conns; c++) {
                int id = c;
                pool.submit(() -> {
                    try (Ws ws = new Ws(port)) {
                        Random random = new Random(id);
                        for (long n = 0; System.nanoTime() < end; n++) {
                            long i = (n & 1) == 0 ? nextEvent.getAndIncrement() : -1;
                            long t0 = System.nanoTime();
                            if (i >= 0 && i < events.size()) {
                                ws.send(events.get((int) i));
                                ws.flush();
                                String m;
                                while (!(m = ws.readText()).startsWith("[\"OK\"")) { /* a live event: skip */ }
                                (m.contains(",true,") ? oks : okFalse).incrementAndGet();
                                okNanos.add(System.nanoTime() - t0);
                            } else {
                                String sub = "s" + n;
                                ws.send(("[\"REQ\",\"" + sub + "\",{\"authors\":[\"" + authors.get(random.nextInt(authors.size()))
                                        + "\"],\"limit\":20}]").getBytes(StandardCharsets.UTF_8));
                                ws.flush();
                                String eose = "[\"EOSE\",\"" + sub + "\"]";
                                while (!ws.readText().equals(eose)) { /* stored events */ }
                                reqNanos.add(System.nanoTime() - t0);
                                eoses.incrementAndGet();
                                ws.send(("[\"CLOSE\",\"" + sub + "\"]").getBytes(StandardCharsets.UTF_8));
                            }
                        }
                    } catch (IOException | RuntimeException e) {
                        failed.incrementAndGet();
                    } finally {
                        done.countDown();
                    }
                    return null;
                });
            }
            done.await();
        }
        System.out.printf("mixed: %d connections for %d s: %d OK true (%.0f/s), %d OK false, %d REQ answered (%.0f/s), %d connections failed%n",
                conns, seconds, oks.get(), oks.get() / (double) seconds, okFalse.get(), eoses.get(), eoses.get() / (double) seconds, failed.get());
        System.out.println("EVENT -> OK   " + percentiles(okNanos));
        System.out.println("REQ   -> EOSE " + percentiles(reqNanos));
    }

    // ---- publish ----

    static void publish(int port, Path file, int conns, int window) throws Exception {
        List<byte[]> lines = new ArrayList<>();
        int skipped = 0;
        try (BufferedReader r = Files.newBufferedReader(file)) {
            for (String l; (l = r.readLine()) != null; ) {
                byte[] m = ("[\"EVENT\"," + l + "]").getBytes(StandardCharsets.UTF_8);
                if (m.length > MAX_MESSAGE_BYTES) skipped++; // over the relay's default max_message_length
                else if (!l.isBlank()) lines.add(m);
            }
        }
        if (skipped > 0) System.out.printf("publish: skipped %d events over %d bytes%n", skipped, MAX_MESSAGE_BYTES);
        AtomicLong accepted = new AtomicLong(), refused = new AtomicLong();
        List<Ws> sockets = new ArrayList<>();
        for (int c = 0; c < conns; c++) sockets.add(new Ws(port));
        CountDownLatch done = new CountDownLatch(conns);
        double cpuStart = ProcessCpu.seconds();
        long start = System.nanoTime();
        for (int c = 0; c < conns; c++) {
            Ws ws = sockets.get(c);
            int from = (int) ((long) lines.size() * c / conns), to = (int) ((long) lines.size() * (c + 1) / conns);
            Thread.ofPlatform().start(() -> {
                try {
                    int next = from, outstanding = 0;
                    while (next < to && outstanding < window) { ws.send(lines.get(next++)); outstanding++; }
                    ws.flush();
                    while (outstanding > 0) {
                        String m = ws.readText();
                        if (!m.startsWith("[\"OK\"")) continue;
                        outstanding--;
                        if (m.charAt(73) == 't') accepted.incrementAndGet(); else refused.incrementAndGet();
                        if (next < to) { ws.send(lines.get(next++)); ws.flush(); outstanding++; }
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        double secs = (System.nanoTime() - start) / 1e9;
        double cpuSecs = ProcessCpu.seconds() - cpuStart;
        long total = accepted.get() + refused.get();
        System.out.printf("publish: %d events over %d connections (window %d) in %.2f s = %.0f events/s (OK true %d, false %d)%n",
                total, conns, window, secs, total / secs, accepted.get(), refused.get());
        System.out.printf("publish: the generator used %.2f s of CPU while timed (%.2f cores, %.1f us per event)%n",
                cpuSecs, cpuSecs / secs, cpuSecs * 1e6 / total);
        for (Ws ws : sockets) ws.close();
    }

    // ---- query ----

    static void query(int port, Path file, int seconds, Path warmDir) throws Exception {
        Pattern pubkey = Pattern.compile("\"pubkey\":\"([0-9a-f]{64})\"");
        Pattern id = Pattern.compile("^\\{\"id\":\"([0-9a-f]{64})\"");
        Pattern kind1 = Pattern.compile("\"kind\":1,");
        Pattern p = Pattern.compile("\\[\"p\",\"([0-9a-f]{64})\"");
        Set<String> authors = new LinkedHashSet<>(), ptags = new LinkedHashSet<>();
        List<String> ids = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file)) {
            for (String l; (l = r.readLine()) != null; ) {
                if (kind1.matcher(l).find()) { Matcher m = pubkey.matcher(l); if (m.find()) authors.add(m.group(1)); }
                Matcher pm = p.matcher(l);
                if (pm.find() && ptags.size() < 5000) ptags.add(pm.group(1));
                Matcher im = id.matcher(l);
                if (im.find() && ids.size() < 100_000) ids.add(im.group(1));
            }
        }
        String[] au = authors.toArray(String[]::new), pt = ptags.toArray(String[]::new);
        if (warmDir != null) warmPageCache(warmDir);
        String[] names = {"author+kind1 limit 20", "#p limit 50", "kind 1 limit 100", "ids x 20"};
        List<List<Long>> lat = new ArrayList<>();
        for (int i = 0; i < names.length; i++) lat.add(new ArrayList<>());
        Ws ws = new Ws(port);
        Random rnd = new Random(7);
        // The first WARMUP seconds (default 5) are not recorded: the relay has just started, and its JIT is
        // still compiling the query path.
        long measureFrom = System.nanoTime() + Long.parseLong(System.getenv().getOrDefault("WARMUP", "5")) * 1_000_000_000L;
        long end = measureFrom + seconds * 1_000_000_000L;
        int n = 0, measured = 0;
        while (System.nanoTime() < end) {
            int type = n++ % names.length;
            String filter = switch (type) {
                case 0 -> "{\"authors\":[\"" + au[rnd.nextInt(au.length)] + "\"],\"kinds\":[1],\"limit\":20}";
                case 1 -> "{\"#p\":[\"" + pt[rnd.nextInt(pt.length)] + "\"],\"limit\":50}";
                case 2 -> "{\"kinds\":[1],\"limit\":100}";
                default -> {
                    StringBuilder s = new StringBuilder("{\"ids\":[");
                    for (int i = 0; i < 20; i++) s.append(i > 0 ? "," : "").append('"').append(ids.get(rnd.nextInt(ids.size()))).append('"');
                    yield s.append("]}").toString();
                }
            };
            String sub = "q" + n;
            long t0 = System.nanoTime();
            ws.send(("[\"REQ\",\"" + sub + "\"," + filter + "]").getBytes(StandardCharsets.UTF_8));
            ws.flush();
            String eose = "[\"EOSE\",\"" + sub + "\"]";
            while (!ws.readText().equals(eose)) { }
            if (t0 >= measureFrom) {
                lat.get(type).add(System.nanoTime() - t0);
                measured++;
            }
            ws.send(("[\"CLOSE\",\"" + sub + "\"]").getBytes(StandardCharsets.UTF_8));
        }
        System.out.printf("query: %d REQs timed after %d warm-up REQs, one connection, closed loop, store loaded from %s (%d kind-1 authors)%n",
                measured, n - measured, file, au.length);
        for (int i = 0; i < names.length; i++) System.out.printf("  %-22s %s%n", names[i], percentiles(lat.get(i)));
        ws.close();
    }

    /**
     * Reads every file of the store once, so the timed queries find it in the OS page cache, as on a server
     * whose free memory holds the store; otherwise each event is a random disk read (about 0.25 ms on
     * the benchmark VM, whose host also drops pages unused for a minute).
     */
    static void warmPageCache(Path dir) throws IOException {
        long t0 = System.nanoTime(), bytes = 0;
        byte[] buf = new byte[1 << 20];
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                try (var in = Files.newInputStream(f)) {
                    for (int n; (n = in.read(buf)) > 0; ) bytes += n;
                }
            }
        }
        System.out.printf("store files read into the page cache first: %d MB in %.1f s%n", bytes >> 20, (System.nanoTime() - t0) / 1e9);
    }

    // ---- fan-out ----

    /** Subscribers on {@code port}, the publisher on {@code pubPort} (another node of a cluster, or the same). */
    static void fanout(int port, int subs, int events, int rate, int pubPort) throws Exception {
        int perConn = 10, conns = (subs + perConn - 1) / perConn;
        KeyPair[] authors = new KeyPair[10];
        for (int i = 0; i < authors.length; i++) authors[i] = KeyPair.generate(new Random(100 + i));
        long now = System.currentTimeMillis() / 1000;
        List<byte[]> msgs = new ArrayList<>();
        List<String> idList = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            Event e = Signer.sign(authors[i % 10], now, 1, List.of(List.of("t", "topic" + (i % 10))), "fan-out " + i);
            msgs.add(("[\"EVENT\"," + new String(e.json(), StandardCharsets.UTF_8) + "]").getBytes(StandardCharsets.UTF_8));
            idList.add(e.idHex());
        }
        // 10% follow every kind-1 note, 45% one author, 45% one topic: each event goes to about 190 of 1000
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicLong expected = new AtomicLong();
        List<Ws> readers = new ArrayList<>();
        int s = 0;
        int[] matchesPerEvent = new int[events];
        for (int c = 0; c < conns; c++) {
            Ws ws = new Ws(port);
            readers.add(ws);
            for (int j = 0; j < perConn && s < subs; j++, s++) {
                int bucket = s % 20;
                String filter;
                if (bucket < 2) { filter = "{\"kinds\":[1],\"since\":" + now + "}"; for (int e = 0; e < events; e++) matchesPerEvent[e]++; }
                else if (bucket < 11) { int a = s % 10; filter = "{\"authors\":[\"" + authors[a].publicKeyHex() + "\"],\"since\":" + now + "}"; for (int e = a; e < events; e += 10) matchesPerEvent[e]++; }
                else { int t = (s / 3) % 10; filter = "{\"#t\":[\"topic" + t + "\"],\"since\":" + now + "}"; for (int e = t; e < events; e += 10) matchesPerEvent[e]++; }
                ws.send(("[\"REQ\",\"s" + s + "\"," + filter + "]").getBytes(StandardCharsets.UTF_8));
            }
            ws.flush();
        }
        for (int m : matchesPerEvent) expected.addAndGet(m);
        CountDownLatch eoses = new CountDownLatch(conns);
        CountDownLatch delivered = new CountDownLatch(1);
        AtomicLong got = new AtomicLong();
        for (Ws ws : readers) {
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    int open = 0;
                    while (true) {
                        String m = ws.readText();
                        long t = System.nanoTime();
                        if (m.startsWith("[\"EOSE\"") && ++open == perConn) eoses.countDown();
                        if (m.startsWith("[\"EVENT\"")) {
                            int i = m.indexOf("{\"id\":\"");
                            Long sent = sentAt.get(m.substring(i + 7, i + 71));
                            if (sent != null) latencies.add(t - sent);
                            if (got.incrementAndGet() == expected.get()) delivered.countDown();
                        }
                    }
                } catch (IOException e) {
                    // connection closed at the end
                }
            });
        }
        eoses.await();
        Ws pub = new Ws(pubPort);
        long interval = 1_000_000_000L / rate, next = System.nanoTime();
        for (int i = 0; i < events; i++) {
            LockSupport.parkNanos(next - System.nanoTime()); // pacing the load, not flow control
            next += interval;
            sentAt.put(idList.get(i), System.nanoTime());
            pub.send(msgs.get(i));
            pub.flush();
        }
        boolean all = delivered.await(60, java.util.concurrent.TimeUnit.SECONDS);
        System.out.printf("fanout: %d subscriptions on %d connections, %d events at %d/s, %d of %d deliveries%s%n",
                subs, conns, events, rate, got.get(), expected.get(), all ? "" : " (INCOMPLETE)");
        System.out.printf("  delivery latency (EVENT sent -> EVENT received by a subscriber): %s%n", percentiles(latencies));
        pub.close();
        for (Ws ws : readers) ws.close();
    }

    static String percentiles(List<Long> nanos) {
        long[] v = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        if (v.length == 0) return "no samples";
        return String.format("n=%d p50=%.2f ms p90=%.2f ms p99=%.2f ms max=%.2f ms", v.length, v[v.length / 2] / 1e6,
                v[(int) (v.length * 0.9)] / 1e6, v[Math.min(v.length - 1, (int) (v.length * 0.99))] / 1e6, v[v.length - 1] / 1e6);
    }

    /** A minimal blocking WebSocket client (no extensions). */
    static final class Ws implements AutoCloseable {
        final Socket socket;
        final DataInputStream in;
        final OutputStream out;
        final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        Ws(int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            out = socket.getOutputStream();
            in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 65536));
            byte[] key = new byte[16];
            ThreadLocalRandom.current().nextBytes(key);
            out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                    + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            int state = 0;
            while (state < 4) {
                int c = in.read();
                if (c < 0) throw new IOException("closed during handshake");
                state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
            }
            readText(); // AUTH challenge
        }

        void send(byte[] payload) {
            pending.write(0x81);
            int n = payload.length;
            if (n < 126) pending.write(0x80 | n);
            else if (n < 65536) { pending.write(0x80 | 126); pending.write(n >> 8); pending.write(n); }
            else { pending.write(0x80 | 127); for (int i = 7; i >= 0; i--) pending.write((int) ((long) n >> (8 * i))); }
            byte[] mask = {1, 2, 3, 4};
            pending.writeBytes(mask);
            byte[] masked = Arrays.copyOf(payload, n);
            for (int i = 0; i < n; i++) masked[i] ^= mask[i & 3];
            pending.writeBytes(masked);
        }

        void flush() throws IOException {
            pending.writeTo(out);
            pending.reset();
            out.flush();
        }

        String readText() throws IOException {
            while (true) {
                int b0 = in.readUnsignedByte(), b1 = in.readUnsignedByte();
                long len = b1 & 0x7f;
                if (len == 126) len = in.readUnsignedShort(); else if (len == 127) len = in.readLong();
                byte[] p = new byte[(int) len];
                in.readFully(p);
                if ((b0 & 0x0f) == 1) return new String(p, StandardCharsets.UTF_8);
                if ((b0 & 0x0f) == 8) throw new IOException("closed by the relay");
            }
        }

        @Override
        public void close() throws IOException {
            flush();
            socket.close();
        }
    }
}
