package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `tern export` with --since, --until, --filter and --gzip, on a store loaded by `tern import`. */
class ExportCommandTest {
    @TempDir
    Path dir;
    private Path db;
    private final List<Event> events = new ArrayList<>();

    @BeforeEach
    void load() throws IOException {
        KeyPair k = KeyPair.generate(new Random(5));
        for (int kind : new int[] {0, 1, 3}) {
            events.add(Signer.sign(k, 1_600_000_000L + kind, kind, List.of(), "event of kind " + kind));
        }
        Path input = dir.resolve("in.jsonl");
        List<String> lines = new ArrayList<>();
        for (Event e : events) lines.add(new String(e.json(), StandardCharsets.UTF_8));
        Files.write(input, lines);
        db = dir.resolve("db");
        assertEquals(0, Main.newCommandLine().execute("import", "--data-dir", db.toString(), "--memory", "192", input.toString()));
    }

    @Test
    void sinceWithAFilterAndGzip() throws IOException {
        // the README's example: --since with --filter and --gzip (it once failed on the filter's absent until)
        Path out = dir.resolve("out.jsonl.gz");
        assertEquals(0, export("--since", "1600000002", "--filter", "{\"kinds\":[0,3]}", "--gzip", "-o", out.toString()));
        try (InputStream in = new GZIPInputStream(Files.newInputStream(out))) {
            assertEquals(Set.of(3), kinds(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        }
    }

    @Test
    void sinceOrUntilAlone() throws IOException {
        Path out = dir.resolve("out.jsonl");
        assertEquals(0, export("--since", "1600000001", "-o", out.toString()));
        assertEquals(Set.of(1, 3), kinds(Files.readString(out)));
        assertEquals(0, export("--until", "1600000001", "-o", out.toString()));
        assertEquals(Set.of(0, 1), kinds(Files.readString(out)));
        assertEquals(0, export("--until", "1600000001", "--filter", "{\"kinds\":[1,3]}", "-o", out.toString()));
        assertEquals(Set.of(1), kinds(Files.readString(out)));
    }

    private int export(String... args) {
        List<String> all = new ArrayList<>(List.of("export", "--data-dir", db.toString(), "--memory", "192"));
        all.addAll(List.of(args));
        return Main.newCommandLine().execute(all.toArray(String[]::new));
    }

    private static Set<Integer> kinds(String jsonl) {
        return jsonl.lines().map(l -> Integer.parseInt(l.replaceAll(".*\"kind\":(\\d+).*", "$1"))).collect(Collectors.toSet());
    }
}
