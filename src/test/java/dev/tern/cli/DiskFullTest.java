package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.gen.EventGenerator;
import dev.tern.ingest.InputFingerprint;
import dev.tern.store.EventStore;
import dev.tern.store.StoreConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `tern import` into a 32 MB tmpfs runs out of space: it stops with exit 1 and a message naming the cause,
 * the store still opens, and its checkpoint is intact: with room made (the tmpfs grown) `--resume` finishes
 * the import and the store holds what an import onto a roomy disk holds. Needs root (mount); skipped otherwise.
 */
class DiskFullTest {
    private static final int EVENTS = 60_000;

    @TempDir
    Path dir;

    @Test
    void importIntoAFullDiskFailsCleanlyAndResumes() throws Exception {
        Path mnt = Files.createDirectory(dir.resolve("small"));
        Run mount = run(List.of("mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", mnt.toString()), 30);
        Assumptions.assumeTrue(mount.exit == 0, "cannot mount a tmpfs here (needs root): " + mount.output);
        try {
            Path input = dir.resolve("events.jsonl");
            try (OutputStream out = Files.newOutputStream(input)) {
                new EventGenerator(EVENTS, 11, 0, 2).write(out);
            }
            Path base = dir.resolve("base");
            Run baseline = importRun(base, input, false);
            assertEquals(0, baseline.exit, baseline.output);
            long expected;
            try (EventStore store = EventStore.open(StoreConfig.forBudget(base, 192))) {
                expected = store.stats().events();
            }
            Path data = mnt.resolve("data");
            Run full = importRun(data, input, false);
            assertEquals(1, full.exit, full.output);
            assertTrue(full.output.contains("tern import: ") && full.output.toLowerCase().contains("space"),
                    "the message names the cause: " + full.output);

            // the store opens on the full disk, and holds a checkpoint of this input
            long before;
            String key = InputFingerprint.of(input).checkpointKey();
            try (EventStore store = EventStore.open(StoreConfig.forBudget(data, 192))) {
                assertTrue(store.meta(key).isPresent(), "no checkpoint after a failed import: " + full.output);
                before = store.stats().events();
            }
            assertTrue(before > 0 && before < expected, before + " events before the disk filled up");

            assertEquals(0, run(List.of("mount", "-o", "remount,size=1g", mnt.toString()), 30).exit);
            Run resumed = importRun(data, input, true);
            assertEquals(0, resumed.exit, resumed.output);
            try (EventStore store = EventStore.open(StoreConfig.forBudget(data, 192))) {
                assertEquals(expected, store.stats().events(), resumed.output);
            }
            System.out.printf("DiskFullTest: 32 MB tmpfs full after %d of %d events; exit 1; resumed to %d%n", before, expected, expected);
        } finally {
            run(List.of("umount", "-l", mnt.toString()), 30);
        }
    }

    private Run importRun(Path data, Path input, boolean resume) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.tern.cli.Main", "import", "--data-dir", data.toString(), "--memory", "256", "--no-verify",
                "--progress-seconds", "60"));
        if (resume) cmd.add("--resume");
        cmd.add(input.toString());
        return run(cmd, 120); // a hang on a full disk (the bug this found) fails here
    }

    private record Run(int exit, String output) {}

    private Run run(List<String> cmd, int seconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, "run", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            assertTrue(p.destroyForcibly().waitFor(1, TimeUnit.MINUTES), "the killed process did not end");
            return new Run(-1, "timed out: " + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
