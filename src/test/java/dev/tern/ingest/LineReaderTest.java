package dev.tern.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tern.event.RejectReason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineReaderTest {

    private record Line(long number, String text) {}

    private static List<LineChunk> readAll(byte[] input, int maxLine, int chunkBytes, int chunkLines) throws IOException {
        LineReader r = new LineReader(new ByteArrayInputStream(input), 0, 0, maxLine, chunkBytes, chunkLines);
        List<LineChunk> chunks = new ArrayList<>();
        LineChunk c;
        while ((c = r.next()) != null) chunks.add(c);
        return chunks;
    }

    private static List<Line> lines(List<LineChunk> chunks) {
        List<Line> out = new ArrayList<>();
        for (LineChunk c : chunks) {
            for (int i = 0; i < c.count(); i++) {
                out.add(new Line(c.lineNumber(i), new String(c.data(), c.start(i), c.end(i) - c.start(i), StandardCharsets.UTF_8)));
            }
        }
        return out;
    }

    @Test
    void splitsOnLfDropsCrAndCountsEmptyLines() throws IOException {
        byte[] in = "a\r\nbb\n\n\r\nccc\nlast".getBytes(StandardCharsets.UTF_8);
        List<LineChunk> chunks = readAll(in, 1000, 1 << 16, 100);
        assertEquals(List.of(new Line(1, "a"), new Line(2, "bb"), new Line(5, "ccc"), new Line(6, "last")), lines(chunks));
        assertEquals(6, chunks.stream().mapToLong(LineChunk::linesRead).sum());
        assertEquals(2, chunks.stream().mapToLong(LineChunk::emptyLines).sum());
        assertEquals(in.length, chunks.get(chunks.size() - 1).endOffset());
    }

    @Test
    void skipsOverLongLinesKeepingTheirHead() throws IOException {
        String longLine = "x".repeat(300_000);
        byte[] in = ("ok1\n" + longLine + "\nok2\n").getBytes(StandardCharsets.UTF_8);
        List<LineChunk> chunks = readAll(in, 1000, 1 << 16, 100);
        assertEquals(List.of(new Line(1, "ok1"), new Line(3, "ok2")), lines(chunks));
        List<ImportError> tooLong = chunks.stream().flatMap(c -> c.tooLong().stream()).toList();
        assertEquals(1, tooLong.size());
        assertEquals(2, tooLong.get(0).lineNumber());
        assertEquals(RejectReason.LINE_TOO_LONG, tooLong.get(0).reason());
        assertEquals("x".repeat(ImportError.HEAD_BYTES), new String(tooLong.get(0).head(), StandardCharsets.UTF_8));
        // the long line was never buffered: no chunk grew beyond its initial size
        for (LineChunk c : chunks) assertEquals((1 << 16) + 4096, c.data().length);
    }

    @Test
    void aLineOfExactlyTheLimitIsKept() throws IOException {
        byte[] in = ("y".repeat(500) + "\n" + "z".repeat(501) + "\n").getBytes(StandardCharsets.UTF_8);
        List<LineChunk> chunks = readAll(in, 500, 1 << 16, 100);
        assertEquals(1, lines(chunks).size());
        assertEquals(1, chunks.stream().mapToLong(c -> c.tooLong().size()).sum());
    }

    @Test
    void chunksAreBoundedAndEndAtLineEnds() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 1000; i++) sb.append("line-").append(i).append('\n');
        byte[] in = sb.toString().getBytes(StandardCharsets.UTF_8);
        List<LineChunk> chunks = readAll(in, 1000, 1 << 16, 64);
        assertEquals(16, chunks.size());
        long offset = 0;
        for (int k = 0; k < chunks.size(); k++) {
            LineChunk c = chunks.get(k);
            for (int i = 0; i < c.count(); i++) offset += c.end(i) - c.start(i) + 1;
            assertEquals(offset, c.endOffset());
        }
        List<Line> all = lines(chunks);
        assertEquals(1000, all.size());
        assertEquals(new Line(1000, "line-1000"), all.get(999));
    }

    @Test
    void resumesFromAnOffsetWithLineNumbersContinuing() throws IOException {
        byte[] in = "one\ntwo\nthree\n".getBytes(StandardCharsets.UTF_8);
        ByteArrayInputStream s = new ByteArrayInputStream(in);
        LineReader.skipExactly(s, 4);
        LineReader r = new LineReader(s, 4, 1, 1000, 1 << 16, 100);
        LineChunk c = r.next();
        assertEquals(List.of(new Line(2, "two"), new Line(3, "three")), lines(List.of(c)));
        assertEquals(in.length, c.endOffset());
        assertNull(r.next());
    }
}
