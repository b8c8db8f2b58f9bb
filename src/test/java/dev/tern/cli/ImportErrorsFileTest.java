package dev.tern.cli;

import dev.tern.json.Json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tern.gen.EventGenerator;
import dev.tern.ingest.ImportError;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tern import --errors FILE}: one JSON line per rejected input line, in input order, matching the report. */
class ImportErrorsFileTest {
    @TempDir
    Path dir;

    @Test
    void everyRejectedLineIsListedOnceWithItsNumberReasonAndHead() throws IOException {
        Path input = dir.resolve("events.jsonl");
        try (OutputStream out = Files.newOutputStream(input)) {
            new EventGenerator(3_000, 5, 60, 2).write(out);
        }
        Path errors = dir.resolve("errors.jsonl");
        Path report = dir.resolve("report.json");
        assertEquals(0, Main.newCommandLine().execute("import", "--data-dir", dir.resolve("db").toString(), "--memory", "192",
                "--errors", errors.toString(), "--report", report.toString(), input.toString()));

        List<byte[]> inputLines = lines(Files.readAllBytes(input));
        List<Map<String, String>> listed = new ArrayList<>();
        for (String line : Files.readAllLines(errors)) listed.add(fields(line));
        assertEquals(Long.parseLong(fields(Files.readString(report)).get("rejected")), listed.size());
        assertFalse(listed.isEmpty());
        long previous = 0;
        for (Map<String, String> e : listed) {
            long number = Long.parseLong(e.get("line"));
            assertTrue(number > previous, "in input order, each once: " + listed);
            previous = number;
            assertFalse(e.get("reason").isEmpty());
            assertFalse(e.get("message").isEmpty());
            byte[] original = inputLines.get((int) number - 1);
            String head = new String(original, 0, Math.min(original.length, ImportError.HEAD_BYTES), StandardCharsets.UTF_8);
            assertEquals(head, e.get("head"), "line " + number);
        }
    }

    private static List<byte[]> lines(byte[] file) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < file.length; i++) {
            if (file[i] == '\n') {
                lines.add(Arrays.copyOfRange(file, start, i));
                start = i + 1;
            }
        }
        if (start < file.length) lines.add(Arrays.copyOfRange(file, start, file.length));
        return lines;
    }

    /** The top-level scalar fields of one JSON object, as text. */
    private static Map<String, String> fields(String json) throws IOException {
        Map<String, String> m = new HashMap<>();
        try (JsonParser p = Json.parser(json.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            p.nextToken();
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
                String name = p.currentName();
                t = p.nextToken();
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) p.skipChildren();
                else m.put(name, p.getText());
            }
        }
        return m;
    }
}
