package dev.tern.relay;

import static dev.tern.relay.TestClient.authorFilter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 200 connections publishing 5 events each while subscribed to a neighbour's events; connections pipelining EVENTs. */
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

    /**
     * Each client sends its EVENTs without waiting for answers, each twice, and some with a broken signature: every
     * one gets its OK, whether the writer answers it (its flush shared with the other OKs of the loop's pass) or the
     * event loop does at once (the duplicate check, the signature check).
     */
    @Test
    void everyPipelinedEventIsAnswered() throws Exception {
        int clients = 4, events = 300;
        try (TestRelay relay = TestRelay.start(dir)) {
            List<TestClient> open = new ArrayList<>();
            try {
                List<Map<String, String>> expected = new ArrayList<>(); // id -> the OK's verdict and prefix
                for (int i = 0; i < clients; i++) {
                    TestClient c = new TestClient(relay.ws());
                    open.add(c);
                    KeyPair k = KeyPair.generate();
                    Map<String, String> mine = new HashMap<>();
                    for (int j = 0; j < events; j++) {
                        Event e = TestClient.note(k, "client " + i + " pipelined " + j);
                        String message = TestClient.eventMessage(e);
                        if (j % 10 == 9) { // the last signature character changed: verification fails
                            int sig = message.lastIndexOf("\"}");
                            message = message.substring(0, sig - 1) + (message.charAt(sig - 1) == '0' ? '1' : '0') + message.substring(sig);
                            mine.put(e.idHex(), "false,\"invalid:");
                            c.send(message);
                        } else {
                            mine.put(e.idHex(), "true,");
                            c.send(message).send(message);
                        }
                    }
                    expected.add(mine);
                }
                for (int i = 0; i < clients; i++) {
                    Map<String, Integer> answers = new HashMap<>();
                    Map<String, String> mine = expected.get(i);
                    int total = events + events * 9 / 10;
                    for (int n = 0; n < total; n++) {
                        String m = open.get(i).next();
                        String id = m.substring(7, 71);
                        String verdict = mine.get(id);
                        assertTrue(m.startsWith("[\"OK\",\"" + id + "\"," + verdict), m);
                        answers.merge(id, 1, Integer::sum);
                    }
                    for (Map.Entry<String, String> e : mine.entrySet()) {
                        assertEquals(e.getValue().startsWith("true") ? 2 : 1, answers.get(e.getKey()), e.getKey());
                    }
                }
            } finally {
                open.forEach(TestClient::close);
            }
        }
    }
}
