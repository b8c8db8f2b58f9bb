package dev.tern.ingest;

import dev.tern.event.RejectReason;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a byte stream into {@link LineChunk}s of at most {@code chunkLines} lines and about
 * {@code chunkBytes} bytes. Lines end at LF; a CR before it is dropped. A line longer than
 * {@code maxLineBytes} is never buffered: its first bytes are kept for the error report and the rest is
 * skipped up to the next LF. Empty lines are counted and skipped. Not thread-safe: one reader thread.
 */
final class LineReader {
    private static final int READ_BUFFER = 1 << 16;

    private final InputStream in;
    private final int maxLineBytes;
    private final int chunkBytes;
    private final int chunkLines;
    private final byte[] buf = new byte[READ_BUFFER];
    private int pos;
    private int limit;
    private boolean eof;
    private String cutOff;

    private long offset;
    private long lineNumber;

    // the chunk being filled
    private byte[] data;
    private int used;
    private int[] starts;
    private int[] ends;
    private long[] numbers;
    private int count;
    private long linesRead;
    private long emptyLines;
    private List<ImportError> tooLong;
    // the line being read: it starts at data[lineStart]; when it is too long, only its head is kept
    private int lineStart;
    private byte[] skippedHead;
    private boolean unterminated;

    /**
     * Reads {@code in} from its current position, which is input offset {@code startOffset} just after
     * line {@code startLine} (0, 0 for a fresh start).
     */
    LineReader(InputStream in, long startOffset, long startLine, int maxLineBytes, int chunkBytes, int chunkLines) {
        if (maxLineBytes < ImportError.HEAD_BYTES) throw new IllegalArgumentException("max line bytes must be at least " + ImportError.HEAD_BYTES);
        this.in = in;
        this.offset = startOffset;
        this.lineNumber = startLine;
        this.maxLineBytes = maxLineBytes;
        this.chunkBytes = chunkBytes;
        this.chunkLines = chunkLines;
        newChunk();
    }

    /** Skips {@code n} bytes of {@code in} (decompressing as needed), failing if the input is shorter. */
    static void skipExactly(InputStream in, long n) throws IOException {
        try {
            in.skipNBytes(n);
        } catch (EOFException e) {
            throw new IOException("input is shorter than the checkpoint offset " + n + "; it is not the file that was imported", e);
        }
    }

    /**
     * Why the input was cut off (a compressed stream without its end) once {@link #next} has returned null, or
     * null. The line being read at the cut is dropped: {@link #lineNumber} is the last whole line.
     */
    String cutOff() {
        return cutOff;
    }

    /** The number of the last line read. */
    long lineNumber() {
        return lineNumber;
    }

    /** The next chunk, or null at the end of the input. */
    LineChunk next() throws IOException {
        while (!eof) {
            if (pos == limit) {
                int n;
                try {
                    n = in.read(buf);
                } catch (TruncatedInputException e) {
                    cutOff = e.getMessage();
                    used = lineStart; // the rest of the cut line is lost: it is not a line
                    skippedHead = null;
                    n = -1;
                }
                if (n < 0) {
                    eof = true;
                    if (used > lineStart || skippedHead != null) { // last line without LF
                        endLine();
                        unterminated = count > 0 && numbers[count - 1] == lineNumber;
                    }
                    break;
                }
                pos = 0;
                limit = n;
            }
            int nl = indexOfLf(pos, limit);
            int end = nl < 0 ? limit : nl;
            append(pos, end);
            offset += end - pos;
            pos = end;
            if (nl >= 0) {
                pos++;
                offset++;
                endLine();
                if (count >= chunkLines || used >= chunkBytes) return takeChunk();
            }
        }
        return linesRead > 0 ? takeChunk() : null;
    }

    private void append(int from, int to) {
        int n = to - from;
        if (n == 0) return;
        if (skippedHead != null) return; // inside a too-long line: discard
        int lineLen = used - lineStart;
        if (lineLen + n > maxLineBytes) {
            skippedHead = new byte[ImportError.HEAD_BYTES];
            int fromData = Math.min(lineLen, ImportError.HEAD_BYTES);
            System.arraycopy(data, lineStart, skippedHead, 0, fromData);
            System.arraycopy(buf, from, skippedHead, fromData, ImportError.HEAD_BYTES - fromData);
            used = lineStart;
            return;
        }
        if (used + n > data.length) data = Arrays.copyOf(data, Math.max(used + n, data.length * 2));
        System.arraycopy(buf, from, data, used, n);
        used += n;
    }

    private void endLine() {
        lineNumber++;
        linesRead++;
        if (skippedHead != null) {
            tooLong.add(new ImportError(lineNumber, RejectReason.LINE_TOO_LONG,
                    "line longer than " + maxLineBytes + " bytes", skippedHead));
            skippedHead = null;
            used = lineStart;
            return;
        }
        int end = used;
        if (end > lineStart && data[end - 1] == '\r') end--;
        if (end == lineStart) {
            emptyLines++;
            used = lineStart;
            return;
        }
        if (count == starts.length) {
            starts = Arrays.copyOf(starts, count * 2);
            ends = Arrays.copyOf(ends, count * 2);
            numbers = Arrays.copyOf(numbers, count * 2);
        }
        starts[count] = lineStart;
        ends[count] = end;
        numbers[count] = lineNumber;
        count++;
        lineStart = used;
    }

    private LineChunk takeChunk() {
        LineChunk c = new LineChunk(data, starts, ends, numbers, count, linesRead, emptyLines, tooLong, offset, unterminated);
        newChunk(); // chunks end at a line end, so nothing carries over
        return c;
    }

    private void newChunk() {
        data = new byte[chunkBytes + 4096];
        used = 0;
        lineStart = 0;
        int lines = Math.min(chunkLines, 1024);
        starts = new int[lines];
        ends = new int[lines];
        numbers = new long[lines];
        count = 0;
        linesRead = 0;
        emptyLines = 0;
        tooLong = new ArrayList<>(0);
        unterminated = false;
    }

    private int indexOfLf(int from, int to) {
        for (int i = from; i < to; i++) if (buf[i] == '\n') return i;
        return -1;
    }
}
