package dev.tern.ingest;

import java.util.List;

/**
 * Consecutive input lines, read in one piece so workers parse them without copying. Line {@code i} is
 * {@code data[start(i) .. end(i))}, without its line end, and has 1-based number {@code lineNumber(i)}.
 * Skipped lines (empty or too long) are counted here but not listed. {@code endOffset} is the
 * (decompressed) input offset just after the chunk's last line end: where a resume continues.
 * {@code unterminated}: its last listed line ends the input without a line end (it may have been cut).
 */
record LineChunk(byte[] data, int[] starts, int[] ends, long[] lineNumbers, int count,
                 long linesRead, long emptyLines, List<ImportError> tooLong, long endOffset, boolean unterminated) {

    int start(int i) { return starts[i]; }

    int end(int i) { return ends[i]; }

    long lineNumber(int i) { return lineNumbers[i]; }

    /** Heap this chunk pins while queued: its buffer and line tables. */
    long heapBytes() { return data.length + 16L * starts.length + 256; }
}
