package dev.tern.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Event;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writer process that dies without closing the store (as with kill -9) loses nothing it acknowledged. */
class KillDuringWriteTest {
    @TempDir
    Path dir;

    private int runAndHalt(boolean bulk) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), HaltingWriter.class.getName(), dir.toString(), Boolean.toString(bulk))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return (int) out.lines().filter(l -> l.startsWith("acked ")).count();
    }

    @Test
    void normalModeKeepsEveryAcknowledgedBatch() throws Exception {
        int acked = runAndHalt(false);
        assertEquals(HaltingWriter.BATCHES, acked);
        try (EventStore store = EventStore.open(HaltingWriter.config(dir))) {
            assertEquals((long) acked * HaltingWriter.BATCH_SIZE, store.stats().events());
            assertEquals(acked - 1, store.meta("cp").orElseThrow()[0]);
            for (Event e : HaltingWriter.batch(acked - 1)) assertTrue(store.get(e.id()).isPresent());
        }
    }

    @Test
    void bulkModeCheckpointNeverClaimsMoreThanIsStored() throws Exception {
        runAndHalt(true);
        try (EventStore store = EventStore.open(HaltingWriter.config(dir))) {
            int batches = store.meta("cp").map(v -> v[0] + 1).orElse(0);
            assertTrue(batches > 0, "small memtables flush during the run");
            assertEquals((long) batches * HaltingWriter.BATCH_SIZE, store.stats().events());
            for (int b = 0; b < batches; b++) {
                List<Event> batch = HaltingWriter.batch(b);
                for (Event e : batch) assertTrue(store.get(e.id()).isPresent(), "batch " + b);
            }
            assertEquals((long) batches * HaltingWriter.BATCH_SIZE,
                    store.count(List.of(TestEvents.kinds(1)), store.config().queryLimits()), "indexes match the events");
        }
    }
}
