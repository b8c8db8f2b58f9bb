package dev.tern.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tern.event.ByteKey;
import dev.tern.event.EventParser;
import dev.tern.event.ParseResult;
import dev.tern.event.RejectReason;
import dev.tern.filter.Filter;
import dev.tern.gen.EventGenerator;
import dev.tern.store.EventStore;
import dev.tern.store.Visibility;
import dev.tern.store.StoreWriter;
import dev.tern.store.TestWrites;
import dev.tern.store.WriteOutcome;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPOutputStream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportJobTest {
    private static final int EVENTS = 3_000;
    private static final int BAD = 21; // three of each bad-line kind
    private static byte[] file;

    @TempDir
    Path dir;

    @BeforeAll
    static void generate() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new EventGenerator(EVENTS, 42, BAD, 2).write(out);
        file = out.toByteArray();
    }

    /** The sequential model: every line parsed in order and written alone, one store write per event. */
    private record Expected(Map<WriteOutcome, Long> outcomes, Map<RejectReason, Long> rejected, long lines, long empty, byte[] export) {}

    private Expected sequential(Path storeDir, boolean verify) throws Exception {
        return sequential(storeDir, file, verify);
    }

    private Expected sequential(Path storeDir, byte[] file, boolean verify) throws Exception {
        Map<WriteOutcome, Long> outcomes = new EnumMap<>(WriteOutcome.class);
        Map<RejectReason, Long> rejected = new EnumMap<>(RejectReason.class);
        EventParser parser = new EventParser(verify);
        long lines = 0, empty = 0;
        try (EventStore store = TestStores.open(storeDir, false)) {
            StoreWriter writer = new StoreWriter(store, StoreWriter.Settings.defaults(1 << 20));
            int start = 0;
            for (int i = 0; i <= file.length; i++) {
                if (i < file.length && file[i] != '\n') continue;
                if (i == file.length && start == i) break;
                lines++;
                int len = i - start;
                if (len == 0) {
                    empty++;
                } else if (len > ImportSettings.DEFAULT_MAX_LINE_BYTES) {
                    rejected.merge(RejectReason.LINE_TOO_LONG, 1L, Long::sum);
                } else {
                    switch (parser.parse(file, start, len)) {
                        case ParseResult.Parsed p -> outcomes.merge(TestWrites.write(writer, List.of(p.event())).get(0), 1L, Long::sum);
                        case ParseResult.Rejected r -> rejected.merge(r.rejection().reason(), 1L, Long::sum);
                    }
                }
                start = i + 1;
            }
            writer.close();
            return new Expected(outcomes, rejected, lines, empty, export(store));
        }
    }

    /** Everything stored, in write order; a bulk load is finished first, as `tern import` does. */
    private static byte[] export(EventStore store) throws IOException, InterruptedException {
        try (StoreWriter writer = new StoreWriter(store, StoreWriter.Settings.defaults(1 << 20))) {
            writer.finishBulkLoad();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EventExport.write(store, null, Visibility.ALL, out);
        return out.toByteArray();
    }

    /** The report as the import's --report file and the admin API write it. */
    private static String json(ImportReport r) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            r.writeJson(g);
        }
        return out.toString();
    }

    private static ImportSettings settings(boolean verify) {
        // a small queue and batch, so the test goes through many batches and backpressure waits
        return new ImportSettings(ImportSettings.DEFAULT_MAX_LINE_BYTES, 300, 4 << 20, 2, verify, ImportPolicy.ADMIT_ALL);
    }

    private static ImportReport importInto(EventStore store, byte[] input, boolean verify, List<ImportError> errors) throws Exception {
        return importInto(store, input, settings(verify), errors);
    }

    private static ImportReport importInto(EventStore store, byte[] input, ImportSettings settings, List<ImportError> errors)
            throws Exception {
        StoreWriter writer = new StoreWriter(store, StoreWriter.Settings.defaults(1 << 20));
        try {
            return new ImportJob("t", "test", new ByteArrayInputStream(input), input.length, writer, settings,
                    null, null, errors == null ? null : errors::addAll).run();
        } finally {
            writer.close();
        }
    }

    @Test
    void countsEveryOutcomeAndRejectionExactlyAndExportsWhatASequentialImportKeeps() throws Exception {
        Expected expected = sequential(dir.resolve("model"), true);
        List<ImportError> errors = new ArrayList<>();
        try (EventStore store = TestStores.open(dir.resolve("db"), true)) {
            ImportReport r = importInto(store, file, true, errors);
            ImportCounts c = r.counts();
            assertFalse(r.failed(), r.failure());
            assertEquals(expected.lines, c.get(ImportCounts.Counter.LINES_READ));
            assertEquals(EVENTS + BAD, c.get(ImportCounts.Counter.LINES_READ));
            assertEquals(expected.empty, c.get(ImportCounts.Counter.EMPTY_LINES));
            assertEquals(3, c.get(ImportCounts.Counter.EMPTY_LINES));
            for (RejectReason reason : RejectReason.values()) {
                assertEquals(expected.rejected.getOrDefault(reason, 0L), c.rejected(reason), reason.label());
                if (reason != RejectReason.POLICY) assertEquals(3, c.rejected(reason), reason.label());
            }
            long replacedOlder = expected.outcomes.getOrDefault(WriteOutcome.REPLACED_OLDER, 0L);
            assertEquals(expected.outcomes.getOrDefault(WriteOutcome.STORED, 0L) + replacedOlder, c.get(ImportCounts.Counter.STORED));
            assertEquals(replacedOlder, c.get(ImportCounts.Counter.REPLACED_OLDER));
            assertEquals(expected.outcomes.getOrDefault(WriteOutcome.DUPLICATE, 0L), c.get(ImportCounts.Counter.DUPLICATE));
            assertEquals(expected.outcomes.getOrDefault(WriteOutcome.SUPERSEDED, 0L), c.get(ImportCounts.Counter.SUPERSEDED));
            assertEquals(expected.outcomes.getOrDefault(WriteOutcome.DELETED_BEFORE, 0L), c.get(ImportCounts.Counter.DELETED_BEFORE));
            assertEquals(expected.outcomes.getOrDefault(WriteOutcome.EXPIRED, 0L), c.get(ImportCounts.Counter.EXPIRED));
            assertEquals(expected.outcomes.getOrDefault(WriteOutcome.EPHEMERAL_NOT_STORED, 0L), c.get(ImportCounts.Counter.EPHEMERAL));
            // the generated mix exercises every outcome
            for (WriteOutcome o : List.of(WriteOutcome.REPLACED_OLDER, WriteOutcome.SUPERSEDED, WriteOutcome.DELETED_BEFORE,
                    WriteOutcome.EXPIRED, WriteOutcome.EPHEMERAL_NOT_STORED)) {
                assertTrue(expected.outcomes.getOrDefault(o, 0L) > 0, o.name());
            }
            assertEquals(18, errors.size());
            for (int i = 1; i < errors.size(); i++) assertTrue(errors.get(i - 1).lineNumber() < errors.get(i).lineNumber());
            assertEquals(file.length, c.get(ImportCounts.Counter.BYTES));

            assertArrayEquals(expected.export, export(store), "export(import(x)) equals the sequential model's store");
        }
    }

    @Test
    void eventsThePolicyRefusesAreReportedByLineAndNotStored() throws Exception {
        // refuse the author of the most valid lines; the model finds their line numbers
        EventParser parser = new EventParser(true);
        Map<ByteKey, List<Long>> linesByAuthor = new HashMap<>();
        long line = 0;
        for (String text : new String(file, StandardCharsets.UTF_8).split("\n", -1)) {
            line++;
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            if (parser.parse(b) instanceof ParseResult.Parsed p) {
                linesByAuthor.computeIfAbsent(ByteKey.of(p.event().pubkey()), k -> new ArrayList<>()).add(line);
            }
        }
        ByteKey banned = linesByAuthor.entrySet().stream().max(Comparator.comparingInt(e -> e.getValue().size())).orElseThrow().getKey();
        List<Long> bannedLines = linesByAuthor.get(banned);
        assertTrue(bannedLines.size() > 1);
        ImportPolicy policy = e -> ByteKey.of(e.pubkey()).equals(banned) ? "blocked: the author of this event is banned" : null;

        List<ImportError> errors = new ArrayList<>();
        try (EventStore store = TestStores.open(dir.resolve("db"), true)) {
            ImportReport r = importInto(store, file, settings(true).withPolicy(policy), errors);
            assertFalse(r.failed(), r.failure());
            assertEquals(bannedLines.size(), r.counts().rejected(RejectReason.POLICY));
            List<ImportError> refused = errors.stream().filter(e -> e.reason() == RejectReason.POLICY).toList();
            assertEquals(bannedLines, refused.stream().map(ImportError::lineNumber).toList());
            assertEquals("blocked: the author of this event is banned", refused.get(0).message());
            assertTrue(r.toText().contains("policy"), r.toText());
            Filter byBanned = new Filter(null, Set.of(banned), null, Map.of(), null, null, 10);
            assertEquals(0, store.count(List.of(byBanned)));
        }
    }

    /** Nothing written, so no CPU per event: the figure is left out of the text and null in JSON, never -1. */
    /** {@code file} with the signature of every third event line changed in its last hex digit. */
    private static byte[] withSomeSignaturesChanged() {
        byte[] copy = file.clone();
        int start = 0, line = 0;
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] != '\n') continue;
            int d = i - 3; // the last sig digit, before "}
            if (line++ % 3 == 0 && d > start && copy[i - 1] == '}' && copy[i - 2] == '"') copy[d] = (byte) (copy[d] == '0' ? '1' : '0');
            start = i + 1;
        }
        return copy;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /**
     * Issue 22, lever 4: copies of stored events skip the signature check (in the same import, and in a later
     * bulk import, whose filter is loaded from the store); a copy with another signature is still checked.
     * Counts and the store equal a sequential import's with every signature checked.
     */
    @Test
    void copiesOfStoredEventsCountAsAFullyCheckedImportWould() throws Exception {
        byte[] again = withSomeSignaturesChanged();
        Expected expected = sequential(dir.resolve("model"), concat(file, again), true);
        try (EventStore store = TestStores.open(dir.resolve("db"), true)) {
            ImportCounts c = importInto(store, file, true, null).counts().copy();
            c.addAll(importInto(store, again, true, null).counts());
            assertEquals(expected.rejected.get(RejectReason.BAD_SIGNATURE), c.rejected(RejectReason.BAD_SIGNATURE));
            assertTrue(c.rejected(RejectReason.BAD_SIGNATURE) > EVENTS / 4, "the changed signatures are refused");
            assertEquals(expected.outcomes.get(WriteOutcome.DUPLICATE), c.get(ImportCounts.Counter.DUPLICATE));
            assertArrayEquals(expected.export, export(store));
        }
        try (EventStore store = TestStores.open(dir.resolve("db2"), true)) {
            ImportCounts c = importInto(store, concat(file, again), true, null).counts();
            for (RejectReason reason : RejectReason.values()) {
                assertEquals(expected.rejected.getOrDefault(reason, 0L), c.rejected(reason), reason.label());
            }
            assertEquals(expected.outcomes.get(WriteOutcome.DUPLICATE), c.get(ImportCounts.Counter.DUPLICATE));
            assertArrayEquals(expected.export, export(store));
        }
    }

    @Test
    void reportOfNoEventsHasNoSentinels() throws Exception {
        try (EventStore store = TestStores.open(dir.resolve("db"), true)) {
            ImportReport r = importInto(store, "{not json\n".getBytes(StandardCharsets.UTF_8), true, null);
            assertEquals(1, r.counts().rejected(RejectReason.MALFORMED_JSON));
            assertFalse(r.toText().contains("-1"), r.toText());
            assertFalse(r.toText().contains("CPU us per event"), r.toText());
            String json = json(r);
            assertTrue(json.startsWith("{\"source\":\"test\",\"state\":\"complete\",\"error\":null,"), json);
            assertTrue(json.contains("\"cpu_us_per_event\":null"), json);
            assertFalse(json.contains("-1"), json);
        }
    }

    @Test
    void gzipInputWithoutVerificationAcceptsBadSignatures() throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(file);
        }
        try (EventStore store = TestStores.open(dir.resolve("db"), true)) {
            ImportReport r = importInto(store, gz.toByteArray(), false, null);
            assertEquals(0, r.counts().rejected(RejectReason.BAD_SIGNATURE));
            assertEquals(3, r.counts().rejected(RejectReason.BAD_ID));
            assertEquals(EVENTS + BAD, r.counts().get(ImportCounts.Counter.LINES_READ));
            assertEquals(file.length, r.counts().get(ImportCounts.Counter.BYTES), "offsets count decompressed bytes");
            String json = json(r);
            assertTrue(json.contains("\"events_stored\""), json);
            assertTrue(r.cpuSeconds() > 0 && r.cpuMicrosPerEvent() > 0, "the import's CPU is measured");
            assertTrue(json.contains("\"cpu_us_per_event\""), json);
        }
    }

    @Test
    void queriesRunWhileAnImportWrites() throws Exception {
        try (EventStore store = TestStores.open(dir.resolve("db"), false)) {
            CompletableFuture<ImportReport> job = CompletableFuture.supplyAsync(() -> {
                try {
                    return importInto(store, file, false, null);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long last = 0;
            int queries = 0;
            List<Filter> notes = List.of(new Filter(null, null, java.util.Set.of(1), Map.of(), null, null, 20));
            while (!job.isDone() || queries == 0) {
                long n = store.count(List.of(Filter.ALL));
                assertTrue(n >= last, "the count never goes down while importing");
                last = n;
                try (var cursor = store.query(notes)) {
                    int k = 0;
                    while (cursor.hasNext()) {
                        String json = new String(cursor.next(), StandardCharsets.UTF_8);
                        assertTrue(json.contains("\"kind\":1,"), json);
                        k++;
                    }
                    assertTrue(k <= 20);
                }
                queries++;
            }
            ImportReport r = job.get(5, TimeUnit.MINUTES);
            assertFalse(r.failed());
            long exported = new String(export(store), StandardCharsets.UTF_8).lines().count();
            assertEquals(exported, store.count(List.of(Filter.ALL)));
            assertTrue(queries > 0);
        }
    }
}
