package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import dev.tern.store.EventStore;
import dev.tern.store.StoreConfig;
import dev.tern.store.TestWrites;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatsCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsCountsAsJson() throws Exception {
        try (EventStore store = EventStore.open(StoreConfig.forBudget(dir, 192))) {
            TestWrites.write(store, List.of(Signer.sign(KeyPair.generate(new Random(1)), 100, 1, List.of(), "hi")));
        }
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = Main.newCommandLine().execute("stats", "--data-dir", dir.toString(), "--memory", "192");
        } finally {
            System.setOut(original);
        }
        assertEquals(0, code);
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("{\"events\":1,\"events_by_kind\":{\"1\":1}"), out.toString(StandardCharsets.UTF_8));
    }
}
