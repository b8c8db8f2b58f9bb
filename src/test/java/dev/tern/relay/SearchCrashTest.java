package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import dev.tern.testing.ServeProcess;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NIP-50 after a kill -9: `tern serve` is killed while a client publishes (the index commits every 10 s, so
 * what it held in memory is lost); after a restart a search finds every event the relay acknowledged, and
 * none that was replaced or deleted before the kill.
 */
class SearchCrashTest {
    private static final int NOTES = 200;

    @TempDir Path dir;

    @Test
    void aRestartedRelayFindsEveryCommittedEventAndNothingRemoved() throws Exception {
        Path data = dir.resolve("data");
        KeyPair keys = KeyPair.generate();
        Set<String> acked = new HashSet<>();
        Event deleted;
        try (ServeProcess relay = start(data, 0); TestClient c = new TestClient(relay.ws())) {
            long now = TestClient.now();
            assertOk(c.publish(Signer.sign(keys, now - 10, 0, List.of(), "{\"name\":\"heron watcher\"}")));
            assertOk(c.publish(Signer.sign(keys, now - 5, 0, List.of(), "{\"name\":\"egret watcher\"}")));
            deleted = Signer.sign(keys, now - 5, 1, List.of(), "kestrel sighting to be deleted");
            assertOk(c.publish(deleted));
            assertOk(c.publish(Signer.sign(keys, now - 4, 5, List.of(List.of("e", deleted.idHex())), "")));
            for (int i = 0; i < NOTES; i++) {
                Event e = Signer.sign(keys, now - 3, 1, List.of(), "kestrel sighting number " + i);
                c.send(TestClient.eventMessage(e)); // without waiting: the kill comes while writes are under way
                if (i == NOTES / 2) {
                    for (String m : c.until(m -> m.startsWith("[\"OK\",\"" + e.idHex()))) if (m.contains("\",true,")) acked.add(idOfOk(m));
                    relay.kill(); // SIGKILL
                    break;
                }
            }
        }
        try (ServeProcess relay = start(data, 1); TestClient c = new TestClient(relay.ws())) {
            assertTrue(acked.size() > NOTES / 4, "too few notes acknowledged to mean anything: " + acked.size());
            Set<String> found = awaitSearch(c, "kestrel", acked.size());
            System.out.printf("SearchCrashTest: killed after %d notes acknowledged; %d found by search after the restart%n",
                    acked.size(), found.size());
            assertTrue(found.containsAll(acked), (acked.size() - intersection(found, acked)) + " acknowledged notes not found");
            assertTrue(!found.contains(deleted.idHex()), "the deleted note came back");
            assertEquals(0, c.req("heron", "{\"search\":\"heron\"}").size(), "the replaced profile came back");
            assertEquals(1, c.req("egret", "{\"search\":\"egret\"}").size());
        }
    }

    /** Searches until at least {@code expected} hits come back (the index catches up at start), at most 30 s. */
    private static Set<String> awaitSearch(TestClient c, String word, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            Set<String> found = new HashSet<>();
            for (String m : c.req("q", "{\"search\":\"" + word + "\",\"limit\":1000}")) found.add(TestClient.idOf(m));
            if (found.size() >= expected || System.nanoTime() > deadline) return found;
            Thread.sleep(100);
        }
    }

    private static int intersection(Set<String> a, Set<String> b) {
        Set<String> both = new HashSet<>(a);
        both.retainAll(b);
        return both.size();
    }

    private static String idOfOk(String ok) {
        return ok.substring(7, 71);
    }

    private static void assertOk(String ok) {
        assertTrue(ok.contains("\",true,"), ok);
    }

    private ServeProcess start(Path data, int round) throws java.io.IOException {
        return ServeProcess.start(data, dir.resolve("relay-" + round + ".log"),
                "--connection-events-per-second", "0", "--connection-event-burst", "0", "--io-threads", "2");
    }
}
