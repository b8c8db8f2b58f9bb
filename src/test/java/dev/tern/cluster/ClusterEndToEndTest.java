package dev.tern.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import dev.tern.relay.TestClient;
import dev.tern.testing.NodeClients;
import dev.tern.testing.ServeProcess;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three NATS servers in one JetStream cluster and three `tern serve` nodes on it (child JVMs, loopback),
 * started once for the class: what one node takes every node serves, the nodes' stores end identical,
 * a node killed under load catches up losing nothing acknowledged, and NATS servers going away cost
 * writes only while no quorum is left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterEndToEndTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String RPC = "application/nostr+json+rpc";
    private static final Pattern APPLIED = Pattern.compile("\"applied\":(\\d+)");
    private static final Pattern LAST = Pattern.compile("\"last\":(\\d+)");

    @TempDir
    static Path dir;
    private NatsCluster nats;
    private final ServeProcess[] nodes = new ServeProcess[3];

    @BeforeAll
    void startCluster() throws Exception {
        nats = NatsCluster.start(dir.resolve("nats"), 3);
        for (int i = 0; i < 3; i++) nodes[i] = startNode(i, "start");
    }

    private ServeProcess startNode(int i, String run) throws IOException {
        return ServeProcess.start(dir.resolve("node" + i), dir.resolve("node" + i + "-" + run + ".log"),
                "--nats", nats.urls(), "--cluster-node", "node" + i, "--acl-mode", "managed",
                "--connection-events-per-second", "0", "--connection-event-burst", "0", "--io-threads", "1", "--search", "off");
    }

    @AfterAll
    void stopCluster() throws Exception {
        for (ServeProcess n : nodes) if (n != null) n.close();
        if (nats != null) nats.close();
    }

    @Test
    @Order(1)
    void anEventPublishedOnOneNodeIsServedByEveryNodeAndReachesLiveSubscribers() throws Exception {
        long since = TestClient.now() - 1;
        try (TestClient onB = new TestClient(nodes[1].ws())) {
            onB.req("live", "{\"kinds\":[1],\"since\":" + since + "}");
            // nostr-tools publishes on A, then reads its own write back from A at once (the OK waits for A to apply it)
            NodeClients.Result r = NodeClients.run(Duration.ofSeconds(60), "publish-and-read.mjs", nodes[0].ws().toString());
            Matcher m = Pattern.compile("ok ([0-9a-f]{64})").matcher(r.output());
            assertTrue(m.find(), r.output());
            String id = m.group(1);
            long t0 = System.nanoTime();
            String live = onB.next(); // a live EVENT on B
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(live.startsWith("[\"EVENT\",\"live\",") && live.contains(id), live);
            try (TestClient onC = new TestClient(nodes[2].ws())) {
                assertEquals(1, onC.req("c", "{\"ids\":[\"" + id + "\"]}").size());
            }
            System.out.printf("ClusterEndToEndTest: published on A, live on B %d ms after A's OK%n", ms);
        }
    }

    @Test
    @Order(2)
    void afterAMixedWorkloadEveryNodeExportsTheSameBytes() throws Exception {
        KeyPair alice = KeyPair.generate();
        KeyPair bob = KeyPair.generate();
        long now = TestClient.now();
        Event bobs = TestClient.note(bob, "bob's note");
        try (TestClient a = new TestClient(nodes[0].ws()); TestClient b = new TestClient(nodes[1].ws());
             TestClient c = new TestClient(nodes[2].ws())) {
            TestClient[] on = {a, b, c};
            // replaceable versions of one profile sent to different nodes, newest in the middle
            for (int v = 0; v < 6; v++) {
                Event profile = Signer.sign(alice, now - 10 + (v == 3 ? 9 : v), 0, List.of(), "{\"name\":\"v" + v + "\"}");
                assertTrue(on[v % 3].publish(profile).contains(",true,"));
            }
            Event note = TestClient.note(alice, "to be deleted");
            assertTrue(a.publish(note).contains(",true,"));
            Event delete = Signer.sign(alice, now, 5, List.of(List.of("e", note.idHex())), "");
            assertTrue(c.publish(delete).contains(",true,"));
            // C's OK says C applied the deletion; B applies it from the log a moment later, and until then B still
            // holds the note and rightly answers a copy of it "duplicate:"
            await(() -> b.req("deleted", "{\"ids\":[\"" + note.idHex() + "\"]}").isEmpty(), 10, "the deletion applied on B");
            assertTrue(b.publish(note).contains(",false,\"blocked:"), "a deleted event comes back refused on every node");
            assertTrue(c.publish(bobs).contains(",true,"));
            assertEquals("{\"result\":true}", rpc(nodes[1], "banpubkey", "\"" + bob.publicKeyHex() + "\",\"spam\""));
            assertEquals("{\"result\":true}", rpc(nodes[2], "banevent", "\"" + bobs.idHex() + "\""));
            assertTrue(a.publish(TestClient.note(bob, "after the ban")).contains(",false,\"blocked:"));
            Event kept = TestClient.note(alice, "kept");
            assertTrue(b.publish(kept).contains(",true,"));
            for (TestClient client : on) {
                List<String> profiles = client.req("p" + client.hashCode(), "{\"kinds\":[0],\"authors\":[\"" + alice.publicKeyHex() + "\"]}");
                assertEquals(1, profiles.size());
                assertTrue(profiles.get(0).contains("v3"), profiles.get(0));
            }
        }
        // an upload goes through the log in entries of many events; a repeated line is a duplicate, an older version superseded
        KeyPair carol = KeyPair.generate();
        StringBuilder upload = new StringBuilder();
        for (int i = 0; i < 200; i++) upload.append(text(TestClient.note(carol, "uploaded " + i))).append('\n');
        Event older = Signer.sign(carol, now - 5, 3, List.of(List.of("p", alice.publicKeyHex())), "");
        Event newer = Signer.sign(carol, now - 1, 3, List.of(List.of("p", bob.publicKeyHex())), "");
        upload.append(text(newer)).append('\n').append(text(older)).append('\n').append(text(newer)).append('\n');
        String report = importJsonl(nodes[1], upload.toString());
        assertEquals(201, figure(Pattern.compile("\"events_stored\":(\\d+)"), report), report);
        assertEquals(1, figure(Pattern.compile("\"superseded\":(\\d+)"), report), report);
        assertEquals(1, figure(Pattern.compile("\"duplicates\":(\\d+)"), report), report);
        awaitSameApplied();
        byte[] first = export(nodes[0]);
        assertTrue(first.length > 0);
        for (int i = 1; i < 3; i++) {
            byte[] other = export(nodes[i]);
            assertTrue(java.util.Arrays.equals(first, other), "node" + i + "'s export differs from node0's ("
                    + other.length + " against " + first.length + " bytes)");
        }
        assertFalse(new String(first).contains(bobs.idHex()), "the ban removed bob's event on every node");
        // NIP-77 between nodes says the same: a dry-run sync of node0 with node2 finds nothing on either side
        String sync = syncDryRun(nodes[0], nodes[2]);
        assertTrue(Pattern.compile("only here \\(have\\)\\s+0\\b").matcher(sync).find(), sync);
        assertTrue(Pattern.compile("only there \\(need\\)\\s+0\\b").matcher(sync).find(), sync);
    }

    private static String text(Event e) {
        return new String(e.json(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** {@code POST /api/import} of {@code jsonl} on {@code node}; its status once it ends. */
    private static String importJsonl(ServeProcess node, String jsonl) throws Exception {
        return runJob(node, HttpRequest.newBuilder(node.http("/api/import?id=cluster-upload-0001"))
                .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(jsonl)),
                "/api/import/cluster-upload-0001");
    }

    /** {@code POST /api/sync?dry_run=true} on {@code from} against {@code with}; its report once it ends. */
    private static String syncDryRun(ServeProcess from, ServeProcess with) throws Exception {
        return runJob(from, HttpRequest.newBuilder(from.http("/api/sync?dry_run=true&url=" + with.ws()))
                .POST(HttpRequest.BodyPublishers.noBody()), "/api/sync");
    }

    /** Starts an admin job on {@code node} (202), then reads {@code statusPath} until it ends; it must end complete. */
    private static String runJob(ServeProcess node, HttpRequest.Builder start, String statusPath) throws Exception {
        HttpResponse<String> started = HTTP.send(start.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, started.statusCode(), started.body());
        String[] status = {""};
        await(() -> {
            try {
                status[0] = get(node, statusPath);
            } catch (IOException | InterruptedException e) {
                return false;
            }
            return Pattern.compile("\"state\":\"(complete|failed|truncated)\"").matcher(status[0]).find();
        }, 30, statusPath + " to end");
        assertTrue(status[0].contains("\"state\":\"complete\""), status[0]);
        return status[0];
    }

    @Test
    @Order(3)
    void aNodeKilledUnderPublishLoadCatchesUpAndLosesNothingAcknowledged() throws Exception {
        Set<String> acked = ConcurrentHashMap.newKeySet();
        AtomicInteger sent = new AtomicInteger();
        KeyPair k = KeyPair.generate();
        Thread publisher = Thread.ofPlatform().start(() -> {
            try (TestClient a = new TestClient(nodes[0].ws())) {
                for (int i = 0; i < 300; i++) {
                    Event e = TestClient.note(k, "load " + i);
                    if (a.publish(e).contains(",true,")) acked.add(e.idHex());
                    sent.incrementAndGet();
                }
            }
        });
        await(() -> sent.get() >= 100, 60, "100 events published on A");
        nodes[1].kill(); // SIGKILL of B in the middle of the load
        publisher.join(TimeUnit.SECONDS.toMillis(120));
        assertFalse(publisher.isAlive(), "the publisher on A did not finish");
        assertEquals(300, acked.size(), "A acknowledged every event while B was down");
        nodes[1].close();
        nodes[1] = startNode(1, "restarted");
        awaitSameApplied();
        try (TestClient b = new TestClient(nodes[1].ws())) {
            List<String> got = b.req("all", "{\"authors\":[\"" + k.publicKeyHex() + "\"],\"limit\":500}");
            Set<String> ids = ConcurrentHashMap.newKeySet();
            for (String m : got) ids.add(TestClient.idOf(m));
            assertEquals(acked, ids, "B after its restart holds every event A acknowledged");
        }
    }

    @Test
    @Order(4)
    void writesGoOnWithoutOneNatsServerAndAreRefusedWithoutAllWhileReadsGoOn() throws Exception {
        KeyPair k = KeyPair.generate();
        nats.kill(0);
        try (TestClient a = new TestClient(nodes[0].ws())) {
            awaitAccepted(a, k, "with two of three NATS servers");
        }
        nats.kill(1);
        nats.kill(2);
        try (TestClient a = new TestClient(nodes[0].ws()); TestClient c = new TestClient(nodes[2].ws())) {
            String ok = awaitRefused(c, k);
            assertTrue(ok.contains(",false,\"error:"), ok);
            // A applied its accepted write before it answered OK
            assertFalse(a.req("r", "{\"authors\":[\"" + k.publicKeyHex() + "\"]}").isEmpty(), "reads go on without NATS");
        }
        String health = get(nodes[2], "/healthz");
        assertTrue(health.startsWith("ok; cluster: NATS unreachable"), health);
        nats.restart(0, 1, 2);
        try (TestClient c = new TestClient(nodes[2].ws())) {
            awaitAccepted(c, k, "once NATS is back");
        }
        awaitSameApplied();
    }

    private static void await(BooleanSupplier condition, int seconds, String what) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) fail("not reached in " + seconds + " s: " + what);
            Thread.sleep(50); // polling the publisher's count
        }
    }

    @Test
    @Order(5)
    void aFreshNodeStartsFromAPeersSnapshotAndThenTheLog() throws Exception {
        KeyPair k = KeyPair.generate();
        long before = figure(APPLIED, get(nodes[0], "/api/stats"));
        try (ServeProcess fresh = ServeProcess.start(dir.resolve("node3"), dir.resolve("node3.log"),
                "--nats", nats.urls(), "--cluster-node", "node3", "--acl-mode", "managed", "--search", "off",
                "--cluster-bootstrap", "http://127.0.0.1:" + nodes[0].port)) {
            long applied = figure(APPLIED, get(fresh, "/api/stats"));
            assertTrue(applied >= before, "the snapshot brought the store's place in the log: " + applied + " < " + before);
            Event after;
            try (TestClient a = new TestClient(nodes[0].ws())) {
                after = TestClient.note(k, "after the snapshot");
                assertTrue(a.publish(after).contains(",true,"));
            }
            long target = figure(APPLIED, get(nodes[0], "/api/stats"));
            await(() -> {
                try {
                    return figure(APPLIED, get(fresh, "/api/stats")) == target;
                } catch (IOException | InterruptedException e) {
                    throw new AssertionError(e);
                }
            }, 60, "the fresh node applies the log up to node0's place");
            try (TestClient f = new TestClient(fresh.ws())) {
                assertEquals(1, f.req("f", "{\"ids\":[\"" + after.idHex() + "\"]}").size(), "the log after the snapshot");
            }
            assertTrue(java.util.Arrays.equals(export(nodes[0]), export(fresh)), "the fresh node exports what node0 does");
        }
    }

    /** Publishes until one is accepted (clients reconnect and the stream elects a leader meanwhile), at most 60 s. */
    private static void awaitAccepted(TestClient c, KeyPair k, String when) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "";
        while (System.nanoTime() < until) {
            last = c.publish(TestClient.note(k, "write " + when + " " + System.nanoTime()));
            if (last.contains(",true,")) return;
            Thread.sleep(250); // a retry of a refused write, as a client would
        }
        fail("no write accepted " + when + " in 60 s; last answer " + last);
    }

    private static String awaitRefused(TestClient c, KeyPair k) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "";
        while (System.nanoTime() < until) {
            last = c.publish(TestClient.note(k, "no NATS " + System.nanoTime()));
            if (last.contains(",false,")) return last;
            Thread.sleep(250);
        }
        fail("writes still accepted 60 s after every NATS server was killed: " + last);
        return last;
    }

    /** Waits until every node has applied the whole log as the first node sees it, at most 90 s. */
    private void awaitSameApplied() throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < until) {
            seen.clear();
            long target = -1;
            boolean same = true;
            for (ServeProcess n : nodes) {
                String stats = get(n, "/api/stats");
                seen.add(stats.replaceAll("(?s).*\"cluster\":(\\{[^}]*}).*", "$1"));
                long applied = figure(APPLIED, stats);
                long last = figure(LAST, stats);
                if (target < 0) target = Math.max(applied, last);
                same &= applied == target && last == target;
            }
            if (same) return;
            Thread.sleep(200); // polling the nodes' stats
        }
        fail("the nodes did not reach the same applied sequence in 90 s: " + seen);
    }

    private static long figure(Pattern p, String stats) {
        Matcher m = p.matcher(stats);
        if (!m.find()) fail("no " + p + " in " + stats);
        return Long.parseLong(m.group(1));
    }

    private static String get(ServeProcess node, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(node.http(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static byte[] export(ServeProcess node) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(node.http("/api/export")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    private static String rpc(ServeProcess node, String method, String params) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(node.http("/")).header("Content-Type", RPC)
                .POST(HttpRequest.BodyPublishers.ofString("{\"method\":\"" + method + "\",\"params\":[" + params + "]}"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        return r.body();
    }
}
