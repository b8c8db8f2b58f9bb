package dev.tern.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Event;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writer process killed with SIGKILL (kill -9) loses nothing it acknowledged, and its checkpoint never runs ahead. */
class KillDuringWriteTest {
    @TempDir
    Path dir;

    /** Runs the writer until it prints {@code killAt}, kills it with SIGKILL; returns the last batch it acknowledged. */
    private int runAndKill(boolean bulk, String killAt) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), KilledWriter.class.getName(), dir.toString(), Boolean.toString(bulk))
                .redirectErrorStream(true).start();
        int acked = -1;
        StringBuilder log = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                log.append(line).append('\n');
                if (line.startsWith("acked ")) acked = Integer.parseInt(line.substring(6));
                if (line.equals(killAt)) break;
            }
            p.destroyForcibly(); // SIGKILL
            assertTrue(p.waitFor(1, TimeUnit.MINUTES), "the process did not end");
        }
        assertTrue(acked >= 0, log.toString());
        return acked;
    }

    /** The store holds exactly the batches up to its checkpoint, each event with its index entries. */
    private static int assertConsistentWithCheckpoint(EventStore store) {
        int batches = store.meta("cp").map(v -> v[0] + 1).orElse(0);
        assertEquals((long) batches * KilledWriter.BATCH_SIZE, store.stats().events());
        for (int b = 0; b < batches; b++) {
            for (Event e : KilledWriter.batch(b)) assertTrue(store.get(e.id()).isPresent(), "batch " + b);
        }
        assertEquals((long) batches * KilledWriter.BATCH_SIZE,
                store.count(List.of(TestEvents.kinds(1))), "indexes match the events");
        return batches;
    }

    @Test
    void normalModeKeepsEveryAcknowledgedBatch() throws Exception {
        int acked = runAndKill(false, "acked 20");
        try (EventStore store = EventStore.open(KilledWriter.config(dir))) {
            int batches = assertConsistentWithCheckpoint(store);
            assertTrue(batches >= acked + 1, batches + " batches stored, " + (acked + 1) + " acknowledged");
        }
    }

    /** Without a WAL only flushed data survives (36 of 40 batches in a trial run); it must match the checkpoint. */
    @Test
    void bulkModeCheckpointNeverClaimsMoreThanIsStored() throws Exception {
        runAndKill(true, "done");
        try (EventStore store = EventStore.open(KilledWriter.config(dir))) {
            assertConsistentWithCheckpoint(store);
        }
    }
}
