import dev.tern.config.MemoryBudget;
import dev.tern.event.EventParser;
import dev.tern.event.Hex;
import dev.tern.filter.Filter;
import dev.tern.filter.FilterLimits;
import dev.tern.filter.FilterParser;
import dev.tern.filter.FilterResult;
import dev.tern.search.SearchIndex;
import dev.tern.search.SearchSettings;
import dev.tern.store.EventStore;
import dev.tern.store.SerialCursor;
import dev.tern.store.StoreConfig;
import dev.tern.store.Visibility;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * NIP-50 search latency on a store with its index (bench/search.sh): each query shape runs ROUNDS times with
 * limit 20 on each of THREADS threads (default 1: clients querying at once, as the relay's query pool would run
 * them), in process (Lucene, then each hit read back from the store and checked), no network; the index is opened
 * as {@code tern serve} opens it; ends with the process's RSS, anonymous and file pages apart.
 * Usage: java -cp target/tern.jar:CLASSES SearchBench DATA_DIR [ROUNDS [THREADS]] (bench/search.sh compiles it)
 */
public final class SearchBench {
    public static void main(String[] args) throws InterruptedException {
        Path data = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        MemoryBudget budget = new MemoryBudget(MemoryBudget.DEFAULT_MB);
        try (EventStore store = EventStore.open(StoreConfig.forBudget(data, budget.totalMb()));
             SearchIndex index = SearchIndex.open(SearchIndex.directoryIn(data),
                     new SearchSettings(true, SearchSettings.DEFAULT_KINDS, budget.searchBufferMb() << 20, budget.searchQueueMb() << 20, false),
                     store)) {
            String authors = authors(store, 20);
            String[][] shapes = {
                    {"one word", "{\"search\":\"lightning\",\"limit\":20}"},
                    {"two words", "{\"search\":\"bitcoin coffee\",\"limit\":20}"},
                    {"phrase", "{\"search\":\"\\\"pura vida\\\"\",\"limit\":20}"},
                    {"one word + 20 authors", "{\"search\":\"lightning\",\"authors\":" + authors + ",\"limit\":20}"},
                    {"two words + kinds [1]", "{\"search\":\"bitcoin coffee\",\"kinds\":[1],\"limit\":20}"},
                    {"phrase + kinds [30023]", "{\"search\":\"\\\"pura vida\\\"\",\"kinds\":[30023],\"limit\":20}"},
            };
            FilterParser parser = new FilterParser(new FilterLimits(1000), true);
            System.out.printf("index: %,d documents; %d rounds per query and thread, limit 20, %d thread(s)%n",
                    index.documents(), rounds, threads);
            for (String[] shape : shapes) {
                Filter f = ((FilterResult.Ok<Filter>) parser.parse(shape[1])).value();
                for (int i = 0; i < Math.min(100, rounds); i++) index.search(f, Visibility.ALL, 20, 1000); // warm-up
                long[] nanos = new long[rounds * threads];
                int[] hits = new int[1];
                List<Thread> clients = new ArrayList<>();
                long start = System.nanoTime();
                for (int t = 0; t < threads; t++) {
                    int first = t * rounds;
                    clients.add(Thread.ofPlatform().name("client-" + t).start(() -> {
                        for (int i = 0; i < rounds; i++) {
                            long t0 = System.nanoTime();
                            hits[0] = index.search(f, Visibility.ALL, 20, 1000).events().size();
                            nanos[first + i] = System.nanoTime() - t0;
                        }
                    }));
                }
                for (Thread c : clients) c.join();
                double seconds = (System.nanoTime() - start) / 1e9;
                Arrays.sort(nanos);
                System.out.printf("%-24s p50 %6.2f ms  p99 %6.2f ms  %6.0f queries/s  (%d hits)%n", shape[0],
                        nanos[nanos.length / 2] / 1e6, nanos[(int) (nanos.length * 0.99)] / 1e6, nanos.length / seconds, hits[0]);
            }
            System.out.println("RSS at the end: " + rss());
        }
    }

    /** This process's resident memory from /proc/self/status: anonymous pages and file pages (the index's mapped files among them). */
    private static String rss() {
        try {
            long anon = 0, file = 0;
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("RssAnon:")) anon = Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                if (line.startsWith("RssFile:")) file = Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
            return (anon + file) + " MB (anon " + anon + " + file " + file + ")";
        } catch (java.io.IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** The first {@code n} distinct authors of kind-1 events, as a JSON array. */
    private static String authors(EventStore store, int n) {
        Set<String> out = new LinkedHashSet<>();
        try (SerialCursor c = store.readFrom(0)) {
            while (c.hasNext() && out.size() < n) {
                var e = EventParser.parseStored(c.next());
                if (e.kind() == 1) out.add(Hex.encode(e.pubkey()));
            }
        }
        List<String> quoted = new ArrayList<>();
        for (String a : out) quoted.add("\"" + a + "\"");
        return "[" + String.join(",", quoted) + "]";
    }
}
