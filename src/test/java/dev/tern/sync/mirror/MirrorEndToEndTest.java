package dev.tern.sync.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import dev.tern.store.EventStore;
import dev.tern.store.StoreConfig;
import dev.tern.store.StoreWriter;
import dev.tern.store.TestWrites;
import dev.tern.sync.Incoming;
import dev.tern.sync.RelayLink;
import dev.tern.testing.ServeProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `tern serve --mirror` end to end: real relays (child JVMs) on loopback, published to and read by a real
 * WebSocket client. A live event reaches the mirror within a second; a peer that restarts is caught up with,
 * including what it got while the link was down; two relays mirroring each other both ways do not loop; a bad
 * TERN_MIRROR stops serve with one line.
 */
class MirrorEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final KeyPair key = KeyPair.generate(new Random(18));
    @TempDir
    Path dir;

    @Test
    void aLiveEventReachesTheMirrorWithinASecond() throws Exception {
        try (ServeProcess peer = ServeProcess.start(dir.resolve("b"), dir.resolve("b.log"));
             ServeProcess mirror = ServeProcess.start(dir.resolve("a"), dir.resolve("a.log"), "--mirror", peer.ws() + " down")) {
            await(() -> connected(mirror), "the mirror's live link");
            try (RelayLink reader = RelayLink.connect(mirror.ws(), WAIT); RelayLink writer = RelayLink.connect(peer.ws(), WAIT)) {
                reader.send("[\"REQ\",\"watch\",{\"kinds\":[1]}]");
                next(reader, "EOSE");
                // the first event also pays for both JVMs' first signature check, parse and commit: measured, not held to it
                for (String label : List.of("first", "second")) {
                    Event e = note(label);
                    long t0 = System.nanoTime(); // from the EVENT sent to the peer to its delivery by the mirror
                    writer.send("[\"EVENT\"," + new String(e.json(), StandardCharsets.UTF_8) + "]");
                    Incoming got = next(reader, "EVENT");
                    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                    assertTrue(new String(got.object(), StandardCharsets.UTF_8).contains(e.idHex()));
                    System.out.println("mirror: the " + label + " live event from the peer delivered by the mirror after " + millis + " ms");
                    if (label.equals("second")) assertTrue(millis < 1000, "the mirror delivered the peer's event after " + millis + " ms");
                }
            }
            assertEquals(2, figure(mirror, "events_in"));
        }
    }

    @Test
    void aMirrorWhosePeerRestartsReconnectsAndCatchesUp() throws Exception {
        Event backdated = Signer.sign(key, now() - 86_400, 1, List.of(), "backdated");
        ServeProcess peer = ServeProcess.start(dir.resolve("b"), dir.resolve("b.log"));
        try (ServeProcess mirror = ServeProcess.start(dir.resolve("a"), dir.resolve("a.log"), "--mirror", peer.ws().toString())) {
            await(() -> connected(mirror), "the mirror's live link");
            Event before = note("before");
            publish(peer, before);
            await(() -> ids(mirror).contains(before.idHex()), "the first event on the mirror");
            peer.close();
            await(() -> !connected(mirror), "the mirror to see its peer gone");
            // what the peer gets while the link is down: one new event, one dated a day back (only a reconciliation finds it)
            Event whileDown = note("while down");
            try (EventStore store = EventStore.open(StoreConfig.forBudget(dir.resolve("b"), 192));
                 StoreWriter writer = new StoreWriter(store, StoreWriter.Settings.defaults(8L << 20))) {
                TestWrites.write(writer, List.of(whileDown, backdated));
            }
            peer = peer.restart(dir.resolve("b2.log"));
            await(() -> connected(mirror), "the mirror's link again");
            Event after = note("after");
            publish(peer, after);
            await(() -> ids(mirror).containsAll(Set.of(whileDown.idHex(), backdated.idHex(), after.idHex())),
                    "every event of the restarted peer on the mirror");
            assertTrue(figure(mirror, "connects") >= 2);
        } finally {
            peer.close();
        }
    }

    @Test
    void twoRelaysMirroringEachOtherBothWaysDoNotLoop() throws Exception {
        int portA = freePort(), portB = freePort();
        try (ServeProcess a = ServeProcess.startOnPort(portA, dir.resolve("a"), dir.resolve("a.log"), "--mirror", "ws://127.0.0.1:" + portB + " both");
             ServeProcess b = ServeProcess.startOnPort(portB, dir.resolve("b"), dir.resolve("b.log"), "--mirror", "ws://127.0.0.1:" + portA + " both")) {
            await(() -> connected(a) && connected(b), "both live links");
            List<String> all = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Event onA = note("a " + i), onB = note("b " + i);
                publish(a, onA);
                publish(b, onB);
                all.add(onA.idHex());
                all.add(onB.idHex());
            }
            await(() -> ids(a).containsAll(all) && ids(b).containsAll(all), "every event on both relays");
            String[] last = {""};
            await(() -> { // the answers to the last echoes settle
                String now = stats(a) + stats(b);
                boolean same = now.equals(last[0]);
                last[0] = now;
                return same;
            }, "the mirrors' counters to settle");
            Thread.sleep(3000); // a loop would show as counters moving and events added while nobody publishes
            assertEquals(last[0], stats(a) + stats(b));
            assertEquals(40, ids(a).size());
            assertEquals(40, ids(b).size());
            // each relay stored each of the other's 20 events once: taken from its live link, or sent by the other
            assertEquals(20, figure(a, "events_in") + figure(b, "events_out"), stats(a) + stats(b));
            assertEquals(20, figure(b, "events_in") + figure(a, "events_out"), stats(a) + stats(b));
            for (ServeProcess relay : List.of(a, b)) {
                // every event stored here is offered to the peer at most once; an echo is answered "duplicate:" and goes no further
                assertTrue(figure(relay, "events_out") + figure(relay, "duplicates_out") <= 40, stats(relay));
                assertEquals(0, figure(relay, "refused_out"), stats(relay));
                assertEquals(0, figure(relay, "refused_in"), stats(relay));
            }
        }
    }

    @Test
    void aBadMirrorValueStopsServeWithOneLine() throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), "dev.tern.cli.Main", "serve",
                "--data-dir", dir.resolve("a").toString(), "--port", "0", "--memory", "192");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("TERN_MIRROR", "wss://a.example both; wss://b.example sideways");
        Process p = pb.start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(2, p.exitValue(), out);
            assertEquals("tern serve: TERN_MIRROR peer 2 (wss://b.example sideways): direction must be down, up or both, got sideways",
                    out.strip());
        } finally {
            p.destroyForcibly();
        }
    }

    // ---- helpers: a real client over loopback ----

    private Event note(String content) {
        return Signer.sign(key, now(), 1, List.of(), content);
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private static void publish(ServeProcess relay, Event e) throws IOException {
        try (RelayLink link = RelayLink.connect(relay.ws(), WAIT)) {
            link.send("[\"EVENT\"," + new String(e.json(), StandardCharsets.UTF_8) + "]");
            Incoming ok = next(link, "OK");
            assertTrue(Boolean.TRUE.equals(ok.flag()), ok.toString());
        }
    }

    /** The ids of the kind-1 events the relay holds. */
    private static Set<String> ids(ServeProcess relay) {
        Set<String> ids = new HashSet<>();
        try (RelayLink link = RelayLink.connect(relay.ws(), WAIT)) {
            link.send("[\"REQ\",\"all\",{\"kinds\":[1],\"limit\":1000}]");
            for (Incoming m = next(link, null); !m.type().equals("EOSE"); m = next(link, null)) {
                if (m.type().equals("EVENT")) {
                    Matcher id = Pattern.compile("\"id\":\"([0-9a-f]{64})\"").matcher(new String(m.object(), StandardCharsets.UTF_8));
                    if (id.find()) ids.add(id.group(1));
                }
            }
        } catch (IOException e) {
            return Set.of(); // the relay is not up (yet)
        }
        return ids;
    }

    /** The next message of {@code type} (any type if null), failing after {@link #WAIT}. */
    private static Incoming next(RelayLink link, String type) throws IOException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String raw = link.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (raw == null) break;
            Incoming m = Incoming.parse(raw);
            if (type == null || m.type().equals(type)) return m;
        }
        throw new AssertionError("no " + (type == null ? "message" : type) + " within " + WAIT.toSeconds() + " s");
    }

    private static String stats(ServeProcess relay) {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(relay.http("/api/stats")).timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            int mirror = body.indexOf("\"mirror\":");
            return mirror < 0 ? "" : body.substring(mirror);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static boolean connected(ServeProcess relay) {
        return stats(relay).contains("\"connected\":true");
    }

    /** A number of the relay's (only) peer in /api/stats. */
    private static long figure(ServeProcess relay, String name) {
        String s = stats(relay);
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(s);
        if (!m.find()) throw new AssertionError(name + " not in " + s);
        return Long.parseLong(m.group(1));
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError(what + ": not within " + WAIT.toSeconds() + " s");
            Thread.sleep(100);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
