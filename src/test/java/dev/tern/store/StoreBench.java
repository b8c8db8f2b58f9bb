package dev.tern.store;

import dev.tern.event.ByteKey;
import dev.tern.event.Event;
import dev.tern.event.EventJson;
import dev.tern.event.Hex;
import dev.tern.filter.Filter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Store benchmark: writes N generated events in batches, then runs a query mix and prints events/s,
 * per-query p50/p99, DB size and peak RSS. Events carry correct ids but random signature bytes: the
 * store never verifies signatures, and signing a million events would only measure libsecp256k1.
 * Generation happens between timed write() calls and is not counted.
 * Usage: StoreBench [events=1000000] [memoryMb=512] [dir]
 */
public final class StoreBench {
    private static final int BATCH = 1000;
    private static final int AUTHORS = 5000;
    private static final int QUERIES = 2000;
    private static final long START = 1_600_000_000L;

    private final Random random = new Random(42);
    private final byte[][] authors = new byte[AUTHORS][];
    private final List<byte[]> sampleIds = new ArrayList<>();
    private final byte[][] recentIds = new byte[4096][];
    private long clock = START;
    private int generated;

    public static void main(String[] args) throws IOException {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int memoryMb = args.length > 1 ? Integer.parseInt(args[1]) : 512;
        Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("tern-store-bench");
        new StoreBench().run(events, memoryMb, dir);
    }

    private void run(int total, int memoryMb, Path dir) {
        for (int i = 0; i < AUTHORS; i++) {
            authors[i] = new byte[32];
            random.nextBytes(authors[i]);
        }
        StoreConfig config = StoreConfig.forBudget(dir, memoryMb);
        System.out.printf("store bench: %,d events, budget %d MB (cache %d MB, memtables %d MB), dir %s%n",
                total, memoryMb, config.blockCacheBytes() >> 20, config.memtableBytes() >> 20, dir);
        try (EventStore store = EventStore.open(config)) {
            long writeNanos = 0, jsonBytes = 0;
            int stored = 0;
            while (generated < total) {
                List<Event> batch = new ArrayList<>(BATCH);
                for (int i = 0; i < BATCH && generated < total; i++) batch.add(next());
                for (Event e : batch) jsonBytes += e.json().length;
                long t0 = System.nanoTime();
                stored += (int) store.write(batch, null, clock + 60).stream().filter(o -> o.stored()).count();
                writeNanos += System.nanoTime() - t0;
            }
            System.out.printf("write: %,d events (%,d stored, %.0f MB json) in %.1f s = %,.0f events/s%n",
                    total, stored, jsonBytes / 1e6, writeNanos / 1e9, total / (writeNanos / 1e9));
            StoreStats s = store.stats();
            System.out.printf("after write: disk %.0f MB, cache usage %.0f MB, memtables %.0f MB, table readers %.1f MB%n",
                    s.diskBytes() / 1e6, s.blockCacheUsage() / 1e6, s.memtableBytes() / 1e6, s.tableReaderBytes() / 1e6);

            Filter byKind = new Filter(null, null, Set.of(1), Map.of(), null, null, null);
            bench("by id", store, () -> new Filter(Set.of(ByteKey.of(sampleIds.get(random.nextInt(sampleIds.size())))),
                    null, null, Map.of(), null, null, null));
            bench("author+kind limit 20", store, () -> new Filter(null, Set.of(ByteKey.of(author())), Set.of(1), Map.of(),
                    null, null, 20));
            bench("tag p limit 50", store, () -> new Filter(null, null, null, Map.of('p', Set.of(Hex.encode(author()))),
                    null, null, 50));
            bench("kind 1, 1 h since/until window", store, () -> {
                long since = START + (long) (random.nextDouble() * (clock - START - 3600));
                return new Filter(null, null, byKind.kinds(), Map.of(), since, since + 3600, null);
            });
            s = store.stats();
            System.out.printf("final: %,d events, disk %.0f MB, cache usage %.0f MB (pinned %.1f MB), memtables %.0f MB, table readers %.1f MB%n",
                    s.events(), s.diskBytes() / 1e6, s.blockCacheUsage() / 1e6, s.blockCachePinned() / 1e6,
                    s.memtableBytes() / 1e6, s.tableReaderBytes() / 1e6);
        }
        System.out.println("peak RSS (VmHWM): " + vmHwm());
    }

    private void bench(String name, EventStore store, Supplier<Filter> filters) {
        long[] nanos = new long[QUERIES];
        long results = 0;
        for (int i = 0; i < QUERIES; i++) {
            Filter f = filters.get();
            long t0 = System.nanoTime();
            try (EventCursor c = store.query(List.of(f))) {
                while (c.hasNext()) {
                    c.next();
                    results++;
                }
            }
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        System.out.printf("%-32s p50 %7.3f ms  p99 %7.3f ms  (%.1f events/query)%n", name,
                nanos[QUERIES / 2] / 1e6, nanos[QUERIES * 99 / 100] / 1e6, results / (double) QUERIES);
    }

    private byte[] author() {
        return authors[random.nextInt(AUTHORS)];
    }

    /** 60% kind 1 notes, 25% kind 7 reactions, 10% kind 0 profiles, 5% kind 3 follow lists (50-300 p tags). */
    private Event next() {
        generated++;
        clock += random.nextInt(3); // about 1M events over a month
        byte[] author = author();
        int roll = random.nextInt(100);
        List<List<String>> tags = new ArrayList<>();
        int kind;
        String content;
        if (roll < 60) {
            kind = 1;
            for (int i = random.nextInt(4); i > 0; i--) {
                tags.add(List.of(random.nextBoolean() ? "e" : "p", Hex.encode(random.nextBoolean() ? recent() : author())));
            }
            content = text(80 + random.nextInt(240));
        } else if (roll < 85) {
            kind = 7;
            tags.add(List.of("e", Hex.encode(recent())));
            tags.add(List.of("p", Hex.encode(author())));
            content = "+";
        } else if (roll < 95) {
            kind = 0;
            content = "{\"name\":\"" + text(10) + "\",\"about\":\"" + text(100) + "\"}";
        } else {
            kind = 3;
            for (int i = 50 + random.nextInt(250); i > 0; i--) tags.add(List.of("p", Hex.encode(author())));
            content = "";
        }
        byte[] id = EventJson.computeId(author, clock, kind, tags, content);
        byte[] sig = new byte[64];
        random.nextBytes(sig);
        if (kind == 1 && sampleIds.size() < 100_000) sampleIds.add(id);
        recentIds[generated % recentIds.length] = id;
        return new Event(id, author, sig, clock, kind, tags, content, EventJson.wire(id, author, clock, kind, tags, content, sig));
    }

    private byte[] recent() {
        byte[] id = recentIds[random.nextInt(recentIds.length)];
        return id != null ? id : author();
    }

    private String text(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) sb.append(random.nextInt(6) == 0 ? ' ' : (char) ('a' + random.nextInt(26)));
        return sb.toString();
    }

    private static String vmHwm() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                    .map(l -> l.substring(6).trim()).findFirst().orElse("n/a");
        } catch (IOException e) {
            return "n/a";
        }
    }
}
