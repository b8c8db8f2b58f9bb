package dev.tern.cli;

import dev.tern.event.Event;
import dev.tern.gen.EventGenerator;
import dev.tern.sync.RelayLink;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * `tern aot-train PORT` (hidden): the client side of the launcher's training run for the JVM's AOT cache. It publishes
 * generated events to a fresh relay on 127.0.0.1:PORT (one live subscription watching) and then sends REQs of the
 * kinds clients send, so the relay's JVM records which classes and methods its real work needs.
 */
@Command(name = "aot-train", hidden = true, description = "Traffic for the launcher's AOT cache training run.")
final class AotTrainCommand implements Callable<Integer> {
    private static final int EVENTS = 4000;
    private static final int PUBLISHERS = 8;
    private static final int WINDOW = 4;
    private static final int QUERY_ROUNDS = 150;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Parameters(paramLabel = "PORT", description = "The relay's port on 127.0.0.1.")
    int port;

    @Override
    public Integer call() throws Exception {
        URI url = URI.create("ws://127.0.0.1:" + port + "/");
        EventGenerator gen = new EventGenerator(EVENTS, 3, 0, Runtime.getRuntime().availableProcessors());
        List<Event> events = new ArrayList<>(EVENTS);
        for (int i = 0; i < EVENTS; i++) events.add(gen.event(i));
        ExecutorService pool = Executors.newFixedThreadPool(PUBLISHERS);
        try (RelayLink watcher = RelayLink.connect(url, TIMEOUT)) {
            watcher.send("[\"REQ\",\"live\",{\"kinds\":[0,1,3],\"limit\":0}]");
            List<Future<?>> running = new ArrayList<>();
            for (int p = 0; p < PUBLISHERS; p++) {
                List<Event> share = events.subList(p * EVENTS / PUBLISHERS, (p + 1) * EVENTS / PUBLISHERS);
                running.add(pool.submit(() -> publish(url, share)));
            }
            long delivered = 0;
            while (running.stream().anyMatch(f -> !f.isDone())) {
                if (watcher.next(Duration.ofMillis(100)) != null) delivered++;
            }
            for (Future<?> f : running) f.get();
            List<Supplier<String>> filters = filters(events);
            running.clear();
            for (int c = 0; c < 2; c++) {
                int seed = c;
                running.add(pool.submit(() -> query(url, filters, seed)));
            }
            for (Future<?> f : running) f.get();
            System.err.printf("tern aot-train: %d events published (%d seen live), %d REQs%n",
                    EVENTS, delivered, 2 * QUERY_ROUNDS * filters.size());
        } finally {
            pool.shutdownNow();
        }
        return 0;
    }

    private static Void publish(URI url, List<Event> events) throws IOException {
        try (RelayLink link = RelayLink.connect(url, TIMEOUT)) {
            for (int i = 0; i < events.size(); i += WINDOW) {
                int end = Math.min(events.size(), i + WINDOW);
                for (Event e : events.subList(i, end)) {
                    link.send("[\"EVENT\"," + new String(e.json(), StandardCharsets.UTF_8) + "]");
                }
                for (int k = i; k < end; k++) awaitOne(link, "[\"OK\"");
            }
        }
        return null;
    }

    /** Each round sends one REQ of every filter, each read to its EOSE. */
    private static Void query(URI url, List<Supplier<String>> filters, int seed) throws IOException {
        try (RelayLink link = RelayLink.connect(url, TIMEOUT)) {
            for (int round = 0; round < QUERY_ROUNDS; round++) {
                for (int f = 0; f < filters.size(); f++) {
                    String sub = "q" + seed + "-" + f;
                    link.send("[\"REQ\",\"" + sub + "\"," + filters.get(f).get() + "]");
                    awaitOne(link, "[\"EOSE\"");
                    link.send("[\"CLOSE\",\"" + sub + "\"]");
                }
            }
        }
        return null;
    }

    private static void awaitOne(RelayLink link, String prefix) throws IOException {
        for (;;) {
            String m = link.next(TIMEOUT);
            if (m == null) throw new IOException("no " + prefix + "...] from the relay within " + TIMEOUT.toSeconds() + " s");
            if (m.startsWith(prefix)) return;
            if (m.startsWith("[\"CLOSED\"") || m.startsWith("[\"NOTICE\"")) throw new IOException("the relay said " + m);
        }
    }

    /** The query types of bench/reads.sh (issue 17) and a search, with values drawn from the published events. */
    private static List<Supplier<String>> filters(List<Event> events) {
        List<String> notesBy = new ArrayList<>(), followsBy = new ArrayList<>(), tagged = new ArrayList<>();
        List<String> ids = new ArrayList<>(), words = new ArrayList<>();
        for (Event e : events) {
            ids.add(e.idHex());
            if (e.kind() == 1) {
                notesBy.add(e.pubkeyHex());
                for (String w : e.content().split("\\W+")) if (w.length() >= 5) words.add(w);
            }
            if (e.kind() == 3) followsBy.add(e.pubkeyHex());
            for (List<String> t : e.tags()) if (t.size() > 1 && t.get(0).equals("p")) tagged.add(t.get(1));
        }
        Random random = new Random(7);
        return List.of(
                () -> "{\"authors\":[\"" + pick(notesBy, random) + "\"],\"kinds\":[1],\"limit\":20}",
                () -> "{\"#p\":[\"" + pick(tagged, random) + "\"],\"limit\":50}",
                () -> "{\"kinds\":[1],\"limit\":100}",
                () -> "{\"ids\":[" + some(ids, 20, random) + "]}",
                () -> "{\"kinds\":[3],\"authors\":[" + some(followsBy, 10, random) + "]}",
                () -> "{\"ids\":[\"" + "0".repeat(64) + "\"]}",
                () -> "{\"search\":\"" + pick(words, random) + "\",\"limit\":20}");
    }

    private static String pick(List<String> values, Random random) {
        return values.get(random.nextInt(values.size()));
    }

    private static String some(List<String> values, int n, Random random) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) b.append(i == 0 ? "\"" : ",\"").append(pick(values, random)).append('"');
        return b.toString();
    }
}
