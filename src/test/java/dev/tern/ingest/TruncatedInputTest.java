package dev.tern.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import dev.tern.gen.EventGenerator;
import dev.tern.store.EventStore;
import dev.tern.store.StoreWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An input cut off (an interrupted download or copy) imports every whole line it holds and ends truncated, neither
 * failed (a compressed stream without its end) nor complete with a malformed last line (a plain file cut mid-line).
 */
class TruncatedInputTest {
    private static final int EVENTS = 1_500;
    private static byte[] file;

    @TempDir
    Path dir;

    @BeforeAll
    static void generate() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new EventGenerator(EVENTS, 11, 0, 2).write(out);
        file = out.toByteArray();
    }

    private interface Compressor {
        OutputStream wrap(OutputStream out) throws IOException;
    }

    private static byte[] compress(Compressor c) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream o = c.wrap(out)) {
            o.write(file);
        }
        return out.toByteArray();
    }

    /** What zcat (or zstdcat) writes for a cut file: every byte the decoder yields before its input runs out. */
    private static long wholeLinesRecoverable(InputStream decoder) {
        long lines = 0;
        try (decoder) {
            int b;
            while ((b = decoder.read()) >= 0) if (b == '\n') lines++;
            throw new AssertionError("the input is not cut off");
        } catch (IOException expected) {
            return lines;
        }
    }

    private ImportReport importOf(byte[] input) throws Exception {
        try (EventStore store = TestStores.open(dir.resolve("db"), true)) {
            StoreWriter writer = new StoreWriter(store, StoreWriter.Settings.defaults(1 << 20));
            try {
                return new ImportJob("t", "test", new ByteArrayInputStream(input), input.length, writer,
                        new ImportSettings(ImportSettings.DEFAULT_MAX_LINE_BYTES, 200, 4 << 20, 2, true, ImportPolicy.ADMIT_ALL),
                        null, null, null).run();
            } finally {
                writer.close();
            }
        }
    }

    private static void assertTruncatedAfter(long line, String why, ImportReport r) {
        assertFalse(r.failed(), r.failure());
        assertEquals("truncated", r.state(), r.toText());
        assertEquals(new Truncation(line, why), r.truncation());
        assertEquals(line, r.counts().get(ImportCounts.Counter.LINES_READ), "every whole line, and not the cut one, is read");
        assertEquals(line, r.counts().eventsProcessed(), "every whole line is an event written");
        assertEquals(0, r.counts().rejectedTotal(), "the cut line is not a malformed event");
        assertTrue(r.error().contains("up to line " + line), r.error());
        assertTrue(r.toText().contains("TRUNCATED"), r.toText());
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.004, 0.37, 0.81, 0.9995})
    void cutGzipImportsEveryLineZcatRecovers(double at) throws Exception {
        byte[] gz = compress(GZIPOutputStream::new);
        byte[] cut = Arrays.copyOf(gz, (int) (gz.length * at));
        long recoverable = wholeLinesRecoverable(new GZIPInputStream(new ByteArrayInputStream(cut), 1));
        assertTrue(recoverable < EVENTS, "cut before the last line end");
        assertTruncatedAfter(recoverable, "the gzip stream is cut off", importOf(cut));
    }

    @Test
    void gzipCutInsideItsHeaderIsTruncatedBeforeTheFirstLine() throws Exception {
        assertTruncatedAfter(0, "the gzip stream is cut off", importOf(Arrays.copyOf(compress(GZIPOutputStream::new), 5)));
    }

    @Test
    void cutZstdImportsEveryLineZstdcatRecovers() throws Exception {
        byte[] zst = compress(out -> new ZstdOutputStream(out, 3));
        byte[] cut = Arrays.copyOf(zst, zst.length / 2);
        long recoverable = wholeLinesRecoverable(new ZstdInputStream(new ByteArrayInputStream(cut)).setContinuous(false));
        assertTruncatedAfter(recoverable, "the zstd stream is cut off", importOf(cut));
    }

    @Test
    void plainFileCutMidLineImportsTheLinesBeforeIt() throws Exception {
        int lineEnd = indexOfNthLf(700);
        byte[] cut = Arrays.copyOf(file, lineEnd + 1 + 90); // 90 bytes into line 701
        assertTruncatedAfter(700, Truncation.CUT_LAST_LINE, importOf(cut));
    }

    @Test
    void oneLineCutIsTruncatedBeforeIt() throws Exception {
        assertTruncatedAfter(0, Truncation.CUT_LAST_LINE, importOf(Arrays.copyOf(file, 50)));
    }

    @Test
    void wholeLastLineWithoutLineEndIsComplete() throws Exception {
        ImportReport r = importOf(Arrays.copyOf(file, file.length - 1)); // the last LF dropped
        assertEquals("complete", r.state());
        assertNull(r.truncation());
        assertNull(r.error());
        assertEquals(EVENTS, r.counts().get(ImportCounts.Counter.LINES_READ));
    }

    @Test
    void fileCutAtALineEndIsComplete() throws Exception {
        ImportReport r = importOf(Arrays.copyOf(file, indexOfNthLf(700) + 1));
        assertEquals("complete", r.state()); // nothing shows the cut: the lines are whole
        assertEquals(700, r.counts().eventsProcessed());
    }

    private static int indexOfNthLf(int n) {
        for (int i = 0, seen = 0; i < file.length; i++) if (file[i] == '\n' && ++seen == n) return i;
        throw new AssertionError("fewer than " + n + " lines");
    }
}
