package dev.tern.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Event;
import dev.tern.event.EventParser;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import dev.tern.filter.Filter;
import dev.tern.ingest.ImportPolicy;
import dev.tern.ingest.ImportSettings;
import dev.tern.store.EventCursor;
import dev.tern.store.EventStore;
import dev.tern.store.StoreConfig;
import dev.tern.store.StoreWriter;
import dev.tern.store.TestWrites;
import dev.tern.testing.ServeProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `tern sync` against a real `tern serve` (a child JVM) on loopback: overlapping stores, with replaceable and
 * addressable versions and a deletion on either side, end identical; a relay killed mid-sync leaves a consistent
 * store that a second run completes; a relay with NIP-77 off gives a clear error at once (its NIP-11 document).
 */
class SyncEndToEndTest {
    private static final long T = 1_700_000_000L;
    private static final ImportSettings IMPORT = new ImportSettings(ImportSettings.DEFAULT_MAX_LINE_BYTES,
            ImportSettings.DEFAULT_BATCH_EVENTS, 8L << 20, 2, true, ImportPolicy.ADMIT_ALL);
    @TempDir
    Path dir;

    @Test
    void bothDirectionsLeaveIdenticalStores() throws Exception {
        KeyPair k = KeyPair.generate(new Random(1));
        List<Event> common = notes(k, 300, "common", 0);
        List<Event> a = new ArrayList<>(common), b = new ArrayList<>(common);
        a.addAll(notes(k, 30, "only a", 1));
        b.addAll(notes(k, 30, "only b", 2));
        a.add(Signer.sign(k, T + 10, 0, List.of(), "{\"name\":\"old\"}")); // B holds the newer profile
        b.add(Signer.sign(k, T + 20, 0, List.of(), "{\"name\":\"new\"}"));
        a.add(Signer.sign(k, T + 30, 30023, List.of(List.of("d", "post")), "newer article")); // A holds the newer article
        b.add(Signer.sign(k, T + 25, 30023, List.of(List.of("d", "post")), "older article"));
        Event deleted = Signer.sign(k, T + 40, 1, List.of(), "deleted on B");
        a.add(deleted);
        b.add(deleted);
        b.add(Signer.sign(k, T + 41, 5, List.of(List.of("e", deleted.idHex())), "")); // NIP-09 on B only
        write(dir.resolve("a"), a);
        write(dir.resolve("b"), b);

        SyncReport report;
        try (ServeProcess remote = ServeProcess.start(dir.resolve("b"), dir.resolve("b.log"))) {
            report = sync(dir.resolve("a"), remote, Direction.BOTH);
        }
        assertFalse(report.failed(), report.toText());
        // only A: 30 notes, its old profile, its newer article, the note B deleted; only B: 30 notes, the new profile,
        // the older article, the deletion
        assertEquals(33, report.have(), report.toText());
        assertEquals(33, report.need(), report.toText());
        assertEquals(32, report.uploaded(), report.toText());
        assertEquals(1L, report.refused().get("blocked:"), report.toText()); // the note B deleted (NIP-09)
        // B's older article is gone from B when A's newer one was uploaded in an earlier round than its fetch
        assertTrue(Set.of("blocked:", "not served by the relay").containsAll(report.refused().keySet()), report.toText());
        Set<String> onA = ids(dir.resolve("a")), onB = ids(dir.resolve("b"));
        assertEquals(onB, onA);
        assertFalse(onA.contains(deleted.idHex()));
        assertEquals(300 + 30 + 30 + 1 + 1 + 1, onA.size()); // notes, new profile, newer article, deletion
    }

    @Test
    void aRelayKilledMidSyncLeavesAConsistentStoreAndASecondRunCompletes() throws Exception {
        KeyPair k = KeyPair.generate(new Random(2));
        List<Event> remoteEvents = notes(k, 3000, "remote", 0);
        write(dir.resolve("b"), remoteEvents);
        write(dir.resolve("a"), List.of());
        Set<String> all = new HashSet<>();
        for (Event e : remoteEvents) all.add(e.idHex());

        try (EventStore store = EventStore.open(StoreConfig.forBudget(dir.resolve("a"), 192));
             StoreWriter writer = new StoreWriter(store, StoreWriter.Settings.defaults(8L << 20));
             ServeProcess remote = ServeProcess.start(dir.resolve("b"), dir.resolve("b.log"))) {
            SyncJob job = job(store, writer, remote, Direction.DOWN, null);
            CompletableFuture<SyncReport> running = CompletableFuture.supplyAsync(job::run);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (count(store) == 0 && System.nanoTime() < deadline) running.getNow(null); // until the first batch is in
            remote.kill();
            SyncReport cut = running.get(2, TimeUnit.MINUTES);
            if (cut.failed()) assertTrue(cut.failure().contains("closed") || cut.failure().contains("connect"), cut.failure());
        }
        Set<String> partial = ids(dir.resolve("a"));
        assertTrue(all.containsAll(partial)); // only whole, committed events
        assertFalse(partial.isEmpty());

        try (ServeProcess remote = ServeProcess.start(dir.resolve("b"), dir.resolve("b2.log"))) {
            SyncReport again = sync(dir.resolve("a"), remote, Direction.DOWN);
            assertFalse(again.failed(), again.toText());
            assertEquals(3000 - partial.size(), again.need(), again.toText());
        }
        assertEquals(all, ids(dir.resolve("a")));
    }

    /** Uploads meeting the relay's per-connection event rate slow down to it (rate-limited: answers) and all arrive. */
    @Test
    void uploadsArePacedToTheRelaysEventRate() throws Exception {
        KeyPair k = KeyPair.generate(new Random(3));
        write(dir.resolve("a"), notes(k, 60, "paced", 3));
        write(dir.resolve("b"), List.of());
        SyncReport report;
        try (ServeProcess remote = ServeProcess.start(dir.resolve("b"), dir.resolve("b.log"),
                "--connection-events-per-second", "20", "--connection-event-burst", "20")) {
            report = sync(dir.resolve("a"), remote, Direction.UP, null);
        }
        assertFalse(report.failed(), report.toText());
        assertEquals(60, report.uploaded(), report.toText());
        assertEquals(Map.of(), report.refused(), report.toText());
        assertEquals(ids(dir.resolve("a")), ids(dir.resolve("b")));
    }

    /**
     * A sync authenticated (NIP-42, at the relay's first challenge) with a key the relay lists in TERN_ADMINS is exempt
     * from its event rate: 300 events go at once to a relay that allows anyone else 5.
     */
    @Test
    void anAdminKeyIsExemptFromTheRelaysEventRate() throws Exception {
        KeyPair k = KeyPair.generate(new Random(4)), admin = KeyPair.generate(new Random(5));
        write(dir.resolve("a"), notes(k, 300, "exempt", 4));
        write(dir.resolve("b"), List.of());
        SyncReport report;
        try (ServeProcess remote = ServeProcess.start(dir.resolve("b"), dir.resolve("b.log"), "--admins", admin.publicKeyHex(),
                "--connection-events-per-second", "0.001", "--connection-event-burst", "5")) {
            report = sync(dir.resolve("a"), remote, Direction.UP, admin);
        }
        assertFalse(report.failed(), report.toText());
        assertEquals(300, report.uploaded(), report.toText());
        assertEquals(Map.of(), report.refused(), report.toText());
    }

    @Test
    void aRelayWithSyncOffIsAClearErrorAtOnce() throws Exception {
        write(dir.resolve("a"), List.of());
        try (ServeProcess remote = ServeProcess.start(dir.resolve("b"), dir.resolve("b.log"), "--sync-enabled", "false")) {
            long t0 = System.nanoTime();
            SyncReport report = sync(dir.resolve("a"), remote, Direction.BOTH);
            assertTrue(report.failed());
            // NIP-11 no longer lists 77: refused before any WebSocket
            assertTrue(report.failure().contains("does not list 77 in supported_nips"), report.failure());
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(25), "the refusal took longer than the time-out");
        }
    }

    private static SyncReport sync(Path data, ServeProcess remote, Direction direction) throws Exception {
        return sync(data, remote, direction, null);
    }

    private static SyncReport sync(Path data, ServeProcess remote, Direction direction, KeyPair authKey) throws Exception {
        try (EventStore store = EventStore.open(StoreConfig.forBudget(data, 192));
             StoreWriter writer = new StoreWriter(store, StoreWriter.Settings.defaults(8L << 20))) {
            return job(store, writer, remote, direction, authKey).run();
        }
    }

    private static SyncJob job(EventStore store, StoreWriter writer, ServeProcess remote, Direction direction, KeyPair authKey) {
        return new SyncJob(new SyncJob.Options(remote.ws(), Filter.ALL, "{}", direction, false, authKey, Duration.ofSeconds(30),
                1000), store, writer, IMPORT);
    }

    private static List<Event> notes(KeyPair k, int n, String label, int seed) {
        Random r = new Random(seed);
        List<Event> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(Signer.sign(k, T + r.nextInt(60), 1, List.of(), label + " " + i));
        return out;
    }

    private static void write(Path data, List<Event> events) throws Exception {
        try (EventStore store = EventStore.open(StoreConfig.forBudget(data, 192))) {
            if (!events.isEmpty()) TestWrites.write(store, events);
        }
    }

    private static long count(EventStore store) {
        try (EventCursor c = store.export(null)) {
            long n = 0;
            for (; c.hasNext(); c.next()) n++;
            return n;
        }
    }

    private static Set<String> ids(Path data) {
        Set<String> out = new HashSet<>();
        try (EventStore store = EventStore.open(StoreConfig.forBudget(data, 192)); EventCursor c = store.export(null)) {
            while (c.hasNext()) out.add(EventParser.parseStored(c.next()).idHex());
        }
        assertNotNull(out);
        return out;
    }
}
