package dev.tern.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreWriterTest {
    private static final KeyPair ALICE = KeyPair.generate(new Random(1));
    private static final long NOW = 1_700_000_000L;

    @TempDir
    Path dir;

    private static Event note(int i) {
        return Signer.sign(ALICE, NOW - 1000 + i, 1, List.of(), "note " + i, new Random(i));
    }

    private static Event profile(long createdAt) {
        return Signer.sign(ALICE, createdAt, 0, List.of(), "{\"name\":\"v" + createdAt + "\"}", new Random(createdAt));
    }

    private record Result(List<WriteOutcome> outcomes, Exception failure) {}

    /** Holds the writer thread in a listener until the test lets it go; bounded, so a failed test cannot hang it. */
    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(1, TimeUnit.MINUTES)) throw new IllegalStateException("the test never released the writer");
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static StoreWriter.Settings settings(long queueBytes) {
        return new StoreWriter.Settings(queueBytes, 1000, 1 << 30, 0);
    }

    @Test
    void outcomesFollowQueueOrder() throws Exception {
        try (EventStore store = EventStore.open(TestEvents.config(dir))) {
            StoreWriter w = new StoreWriter(store, settings(1 << 20), () -> NOW);
            List<List<WriteOutcome>> results = Collections.synchronizedList(new ArrayList<>());
            w.put(List.of(profile(NOW - 10)), null, (o, e) -> results.add(o));
            w.put(List.of(profile(NOW - 20)), null, (o, e) -> results.add(o)); // older: superseded
            w.put(List.of(profile(NOW - 5), profile(NOW - 5)), null, (o, e) -> results.add(o));
            w.close();
            assertEquals(List.of(List.of(WriteOutcome.STORED), List.of(WriteOutcome.SUPERSEDED),
                    List.of(WriteOutcome.REPLACED_OLDER, WriteOutcome.DUPLICATE)), results);
        }
    }

    @Test
    void coalescesQueuedRequestsAndAnnouncesOnlyCommittedEvents() throws Exception {
        try (EventStore store = EventStore.open(TestEvents.config(dir))) {
            StoreWriter w = new StoreWriter(store, settings(1 << 20), () -> NOW);
            CountDownLatch hold = new CountDownLatch(1);
            CountDownLatch firstCommitted = new CountDownLatch(1);
            List<Event> announced = Collections.synchronizedList(new ArrayList<>());
            List<String> problems = Collections.synchronizedList(new ArrayList<>());
            w.addListener((e, outcome, sequence) -> {
                if (store.get(e.id()).isEmpty()) problems.add("announced before it was readable: " + e.idHex());
                // the writer waits for this listener, so nothing was written after the commit announced
                if (sequence != store.writeSequence()) problems.add("sequence " + sequence + " is not the commit's");
                announced.add(e);
                firstCommitted.countDown();
                await(hold); // keeps the writer busy so the next requests queue up
            });
            assertTrue(w.offer(List.of(note(0)), null));
            assertTrue(firstCommitted.await(1, TimeUnit.MINUTES));
            for (int i = 1; i <= 50; i++) assertTrue(w.offer(List.of(note(i)), null));
            hold.countDown();
            w.close();
            assertEquals(51, announced.size());
            assertEquals(List.of(), problems);
            assertEquals(2, w.commits(), "the 50 queued requests are committed as one batch");
        }
    }

    @Test
    void offerIsRefusedWhenTheQueueIsFull() throws Exception {
        try (EventStore store = EventStore.open(TestEvents.config(dir))) {
            StoreWriter w = new StoreWriter(store, settings(20_000), () -> NOW);
            CountDownLatch hold = new CountDownLatch(1);
            CountDownLatch busy = new CountDownLatch(1);
            w.addListener((e, o, sequence) -> {
                busy.countDown();
                await(hold);
            });
            assertTrue(w.offer(List.of(note(0)), null));
            assertTrue(busy.await(1, TimeUnit.MINUTES));
            int accepted = 0;
            while (w.offer(List.of(note(1000 + accepted)), null)) accepted++;
            assertTrue(accepted > 0 && accepted < 100, "accepted " + accepted);
            hold.countDown();
            w.close();
            assertFalse(w.offer(List.of(note(5000)), null), "closed");
        }
    }

    @Test
    void checkpointIsMadeFromTheBatchOutcomesAndStoredWithIt() throws Exception {
        try (EventStore store = EventStore.open(TestEvents.config(dir))) {
            StoreWriter w = new StoreWriter(store, settings(1 << 20), () -> NOW);
            w.put(List.of(note(1), note(1), note(2)), outcomes -> new Checkpoint("test/cp",
                    outcomes.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)), (o, e) -> {});
            w.close();
            assertEquals("[STORED, DUPLICATE, STORED]", new String(store.meta("test/cp").orElseThrow(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Test
    void aFailedWriteIsReportedAndTheWriterKeepsGoing() throws Exception {
        EventStore store = EventStore.open(TestEvents.config(dir));
        StoreWriter w = new StoreWriter(store, settings(1 << 20), () -> NOW);
        assertEquals(List.of(WriteOutcome.STORED), TestWrites.write(w, List.of(note(1))));
        store.close(); // every later write fails
        // the callback only hands its arguments over: assertions belong on this thread, not the writer's
        CompletableFuture<Result> failed = new CompletableFuture<>();
        w.put(List.of(note(2)), null, (o, e) -> failed.complete(new Result(o, e)));
        Result r = failed.get(1, TimeUnit.MINUTES);
        assertNull(r.outcomes());
        assertInstanceOf(StoreException.class, r.failure());
        CompletableFuture<Exception> again = new CompletableFuture<>();
        assertTrue(w.offer(List.of(note(3)), (o, e) -> again.complete(e)), "the writer thread is still alive");
        assertNotNull(again.get(1, TimeUnit.MINUTES));
        w.close();
    }
}
