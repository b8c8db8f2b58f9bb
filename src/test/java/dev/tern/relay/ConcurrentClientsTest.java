package dev.tern.relay;

import static dev.tern.relay.TestClient.authorFilter;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 200 connections publishing 5 events each while subscribed to a neighbour's events. */
class ConcurrentClientsTest {
    private static final int CLIENTS = 200;
    private static final int EVENTS = 5;

    @TempDir
    Path dir;

    @Test
    void twoHundredClientsPublishAndSubscribe() throws Exception {
        List<KeyPair> keys = new ArrayList<>();
        List<List<Event>> events = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            KeyPair k = KeyPair.generate();
            keys.add(k);
            List<Event> mine = new ArrayList<>();
            for (int j = 0; j < EVENTS; j++) mine.add(TestClient.note(k, "client " + i + " event " + j));
            events.add(mine);
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try (TestRelay relay = TestRelay.start(dir)) {
            List<TestClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < CLIENTS; i++) clients.add(new TestClient(relay.ws()));
                // client i follows client i+1
                for (int i = 0; i < CLIENTS; i++) clients.get(i).req("next", authorFilter(keys.get((i + 1) % CLIENTS)));
                List<Future<Integer>> accepted = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    TestClient c = clients.get(i);
                    List<Event> mine = events.get(i);
                    accepted.add(pool.submit(() -> {
                        int ok = 0;
                        for (Event e : mine) if (c.publish(e).contains(",true,")) ok++;
                        return ok;
                    }));
                }
                int total = 0;
                for (Future<Integer> f : accepted) total += f.get(2, TimeUnit.MINUTES);
                assertEquals(CLIENTS * EVENTS, total);
                for (int i = 0; i < CLIENTS; i++) {
                    TestClient c = clients.get(i);
                    List<String> ids = new ArrayList<>();
                    while (ids.size() < EVENTS) {
                        String m = c.next();
                        if (m.startsWith("[\"EVENT\",\"next\"")) ids.add(TestClient.idOf(m));
                    }
                    assertEquals(events.get((i + 1) % CLIENTS).stream().map(Event::idHex).sorted().toList(),
                            ids.stream().sorted().toList());
                }
                TestClient first = clients.getFirst();
                first.send("[\"COUNT\",\"all\",{\"kinds\":[1]}]");
                assertEquals("[\"COUNT\",\"all\",{\"count\":" + CLIENTS * EVENTS + "}]",
                        first.until(m -> m.startsWith("[\"COUNT\"")).getLast());
            } finally {
                clients.forEach(TestClient::close);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
