package dev.tern.relay;

import dev.tern.testing.ServeProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `tern serve` in a child JVM, publishers on several connections, SIGKILL at a random moment (after a random
 * number of OK true), three rounds on the same data dir. After every restart the store opens as it is and
 * every event the relay acknowledged with OK true is returned by a REQ for its id.
 */
class PublishCrashTest {
    private static final int PUBLISHERS = 4;
    private static final int EVENTS_PER_PUBLISHER = 100;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedEventSurvivesKillMinusNine() throws Exception {
        Path data = dir.resolve("data");
        Set<String> acked = ConcurrentHashMap.newKeySet();
        Random random = new Random();
        List<Integer> killedAfter = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            int killAt = 20 + random.nextInt(PUBLISHERS * EVENTS_PER_PUBLISHER - 60);
            killedAfter.add(killAt);
            // closed after the kill below, so close() only reaps it
            try (ServeProcess relay = start(data, round)) {
                assertAllPresent(relay.ws(), acked, "round " + round + " start, kills after " + killedAfter);
                publishUntilKilled(relay.ws(), relay, killAt, acked);
            }
        }
        try (ServeProcess relay = start(data, 3)) { // closed with SIGTERM: a clean stop at the end
            assertAllPresent(relay.ws(), acked, "after the last kill; kills after " + killedAfter);
            assertTrue(acked.size() >= 60, "too few events acknowledged to mean anything: " + acked.size());
            System.out.printf("PublishCrashTest: 3 SIGKILLs (after %s OK true in their rounds); %d events acknowledged, all %d found%n",
                    killedAfter, acked.size(), acked.size());
        }
    }

    private ServeProcess start(Path data, int round) throws IOException {
        return ServeProcess.start(data, dir.resolve("relay-" + round + ".log"),
                "--connection-events-per-second", "0", "--connection-event-burst", "0", "--io-threads", "2");
    }

    /** Publishers send one event at a time and record each OK true; the relay is killed once killAt are recorded. */
    private static void publishUntilKilled(URI ws, ServeProcess relay, int killAt, Set<String> acked) throws InterruptedException {
        AtomicInteger ackedThisRound = new AtomicInteger();
        List<String> refusals = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < PUBLISHERS; t++) {
            Thread th = new Thread(() -> {
                KeyPair keys = KeyPair.generate();
                try (TestClient c = new TestClient(ws)) {
                    for (int i = 0; i < EVENTS_PER_PUBLISHER; i++) {
                        Event e = TestClient.note(keys, "crash test " + i);
                        c.send(TestClient.eventMessage(e));
                        String reply = c.next();
                        if (reply.equals("[\"OK\",\"" + e.idHex() + "\",true,\"\"]")) {
                            acked.add(e.idHex());
                            if (ackedThisRound.incrementAndGet() == killAt) relay.kill(); // SIGKILL
                        } else if (reply.startsWith("<")) {
                            return; // the relay is gone
                        } else {
                            synchronized (refusals) { refusals.add(reply); }
                        }
                    }
                } catch (Throwable gone) {
                    // sending to or waiting on a killed relay
                }
            }, "publisher-" + t);
            th.start();
            threads.add(th);
        }
        for (Thread th : threads) th.join(120_000);
        relay.kill();
        assertTrue(refusals.isEmpty(), "events refused: " + refusals);
    }

    /** A REQ by ids (in chunks) returns every acknowledged event. */
    private static void assertAllPresent(URI ws, Set<String> acked, String context) {
        List<String> ids = new ArrayList<>(acked);
        Set<String> found = new HashSet<>();
        try (TestClient c = new TestClient(ws)) {
            for (int from = 0; from < ids.size(); from += 500) {
                List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
                String filter = "{\"ids\":[\"" + String.join("\",\"", chunk) + "\"],\"limit\":500}";
                for (String m : c.req("ids" + from, filter)) found.add(TestClient.idOf(m));
            }
        }
        Set<String> missing = new HashSet<>(acked);
        missing.removeAll(found);
        if (!missing.isEmpty()) fail(missing.size() + " of " + acked.size() + " acknowledged events missing (" + context + "): " + missing);
        assertEquals(acked.size(), found.size(), context);
    }
}
