package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.gen.EventGenerator;
import dev.tern.testing.JsonTree;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `tern import` as a user runs it, in a child JVM whose stderr is a pipe (a log): a truncated file is its own
 * outcome with its own exit code and advice, and the progress is plain periodic lines with meaningful rates.
 */
class ImportOutcomeTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    private Run tern(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), "dev.tern.cli.Main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        p.getOutputStream().close();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "tern import did not end");
        return new Run(p.exitValue(), out, new String(err.get(1, TimeUnit.MINUTES), StandardCharsets.UTF_8));
    }

    private static byte[] events(int n, long seed) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new EventGenerator(n, seed, 0, 2).write(out);
        return out.toByteArray();
    }

    @Test
    void truncatedFileEndsTruncatedWithExit4TheOtherFilesImportedAndNoResumeAdvice() throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(gz)) {
            o.write(events(3_000, 3));
        }
        Path cut = dir.resolve("cut.jsonl.gz");
        Files.write(cut, Arrays.copyOf(gz.toByteArray(), gz.size() * 3 / 5));
        Path whole = dir.resolve("whole.jsonl");
        Files.write(whole, events(2_000, 4));
        Path report = dir.resolve("report.json");

        Run r = tern("import", "--data-dir", dir.resolve("db").toString(), "--memory", "192", "--progress-seconds", "1",
                "--report", report.toString(), cut.toString(), whole.toString());

        assertEquals(ImportCommand.TRUNCATED, r.exit(), r.err());
        List<?> reports = (List<?>) JsonTree.parse(Files.readString(report));
        Map<?, ?> first = (Map<?, ?>) reports.get(0), second = (Map<?, ?>) reports.get(1);
        assertEquals("truncated", first.get("state"), first.toString());
        long after = (Long) first.get("truncated_after_line");
        assertTrue(after > 0 && after < 3_000 && after == (Long) first.get("lines_read"), first.toString());
        assertEquals(0L, first.get("rejected"));
        assertEquals("complete", second.get("state"), "the next file is imported too");
        assertEquals(2_000L, second.get("lines_read"));
        assertTrue(r.out().contains("import of " + cut + ": TRUNCATED: the input is truncated (the gzip stream is cut off): the lines up to line "
                + after + " were imported, the rest is missing"), r.out());
        assertTrue(r.err().contains("tern import: " + cut + ": the input is truncated"), r.err());
        assertTrue(r.err().contains("import a whole copy to add the rest"), r.err());
        assertFalse(r.err().contains("--resume"), "resuming cannot help a truncated file:\n" + r.err());

        // a log, not a terminal: no bar, no escape codes, lines with figures
        assertFalse(r.err().contains("\r") || r.err().contains("\033"), r.err());
        Matcher tenths = Pattern.compile("tenth (\\d+)/10 of the input: ([0-9,]+) events/s").matcher(r.err());
        int seen = 0;
        while (tenths.find()) {
            seen++;
            assertFalse(tenths.group(2).equals("0"), "a tenth's rate is the rate around it:\n" + r.err());
        }
        assertEquals(20, seen, "each file's ten tenths:\n" + r.err());
        assertTrue(Pattern.compile("bulk load finished in \\d+\\.\\d s").matcher(r.err()).find(), r.err());
    }
}
