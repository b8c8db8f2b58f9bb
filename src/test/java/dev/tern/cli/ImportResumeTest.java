package dev.tern.cli;

import dev.tern.json.Json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tern.ingest.EventExport;
import dev.tern.gen.EventGenerator;
import dev.tern.store.EventStore;
import dev.tern.store.Visibility;
import dev.tern.store.StoreConfig;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 during `tern import` (a subprocess, SIGKILL at random points), then --resume: the store and the
 * final counts equal an uninterrupted import's. The input is gzip, so resuming skips decompressed bytes.
 */
class ImportResumeTest {
    @TempDir
    Path dir;

    @Test
    void resumeAfterKillEndsLikeAnUninterruptedImport() throws Exception {
        Path input = dir.resolve("events.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(input))) {
            new EventGenerator(6_000, 7, 14, 2).write(out);
        }
        Path base = dir.resolve("base");
        assertEquals(0, Main.newCommandLine().execute("import", "--data-dir", base.toString(), "--memory", "192",
                "--report", dir.resolve("base.json").toString(), input.toString()));

        Path db = dir.resolve("db");
        Random random = new Random();
        List<String> killedAt = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            int tenth = 2 + random.nextInt(6);
            killedAt.add(killDuringImport(db, input, tenth, round > 0) ? "tenth " + tenth : "finished first");
        }
        assertEquals(0, Main.newCommandLine().execute("import", "--data-dir", db.toString(), "--memory", "192", "--db-memtable-mb", "2", "--resume",
                "--report", dir.resolve("resumed.json").toString(), input.toString()), killedAt.toString());

        assertEquals(counters(dir.resolve("base.json")), counters(dir.resolve("resumed.json")), killedAt.toString());
        // small memtables flush often, so a kill leaves a checkpoint behind and the last run really resumed
        if (!killedAt.contains("finished first")) {
            assertTrue(Files.readString(dir.resolve("resumed.json")).contains("\"resumed\" : true"), killedAt.toString());
        }
        assertArrayEquals(export(base), export(db), killedAt.toString());
    }

    @Test
    void exitCodes() {
        assertEquals(2, Main.newCommandLine().execute("import", "--data-dir", dir.resolve("x").toString(), dir.resolve("missing").toString()));
        assertEquals(2, Main.newCommandLine().execute("export", "--data-dir", dir.resolve("x").toString(), "--filter", "{\"kinds\":\"x\"}"));
    }

    /** Runs an import in a child JVM and SIGKILLs it once it reports the given tenth; false if it finished first. */
    private static boolean killDuringImport(Path db, Path input, int tenth, boolean resume) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.tern.cli.Main", "import", "--data-dir", db.toString(), "--memory", "192", "--db-memtable-mb", "2", "--progress-seconds", "1"));
        if (resume) cmd.add("--resume");
        cmd.add(input.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.contains("tenth " + tenth + "/10")) {
                    p.destroyForcibly(); // SIGKILL: no shutdown hooks, no flush
                    assertTrue(p.waitFor(1, TimeUnit.MINUTES), "the process did not end");
                    return true;
                }
            }
        }
        assertTrue(p.waitFor(1, TimeUnit.MINUTES), "the process did not end");
        return false;
    }

    private static byte[] export(Path db) throws IOException {
        try (EventStore store = EventStore.open(StoreConfig.forBudget(db, 192))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            EventExport.write(store, null, Visibility.ALL, out);
            assertTrue(out.size() > 0);
            return out.toByteArray();
        }
    }

    /** The report's integer counters (not times, rates or memory, which differ between runs). */
    private static Map<String, Long> counters(Path report) throws IOException {
        Map<String, Long> m = new TreeMap<>();
        try (JsonParser p = Json.parser(Files.readAllBytes(report))) {
            String name = null;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME) name = p.currentName();
                if (t == JsonToken.VALUE_NUMBER_INT && !name.contains("rss")) m.put(name, p.getLongValue());
            }
        }
        assertTrue(m.get("lines_read") > 6_000, m.toString());
        return m;
    }
}
