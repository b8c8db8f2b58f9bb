package dev.tern.ingest;

import dev.tern.event.Event;
import dev.tern.event.EventParser;
import dev.tern.event.ParseResult;
import dev.tern.event.RejectReason;
import dev.tern.event.Rejection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A chunk after parsing and verification: its events in input order and its rejected lines in line order.
 * {@code cutAfterLine} is set (else -1) when the input ends inside the line after it: the chunk's last line has no
 * line end and is not complete JSON, so it is the head of a line the file was cut in, not a malformed event.
 */
record ParsedChunk(List<Event> events, List<ImportError> errors, long linesRead, long emptyLines,
                   long endOffset, int permitsKb, long cutAfterLine) {

    /**
     * Parses every line of {@code chunk} and asks {@code policy} about each event (runs on a worker thread);
     * {@code permitsKb} is what the chunk was charged.
     */
    static ParsedChunk parse(LineChunk chunk, EventParser parser, ImportPolicy policy, int permitsKb) {
        List<Event> events = new ArrayList<>(chunk.count());
        List<ImportError> errors = new ArrayList<>(chunk.tooLong());
        byte[] data = chunk.data();
        long cutAfterLine = -1;
        for (int i = 0; i < chunk.count(); i++) {
            int start = chunk.start(i), end = chunk.end(i);
            boolean mayBeCut = i == chunk.count() - 1 && chunk.unterminated();
            switch (parser.parse(data, start, end - start)) {
                case ParseResult.Parsed p -> {
                    String refusal = policy.refusal(p.event());
                    if (refusal == null) events.add(p.event());
                    else errors.add(error(chunk, i, new Rejection(RejectReason.POLICY, refusal)));
                }
                case ParseResult.Rejected r when mayBeCut && cutShort(r.rejection()) ->
                        cutAfterLine = chunk.lineNumber(i) - 1;
                case ParseResult.Rejected r -> errors.add(error(chunk, i, r.rejection()));
            }
        }
        if (!chunk.tooLong().isEmpty()) errors.sort(Comparator.comparingLong(ImportError::lineNumber));
        return new ParsedChunk(events, errors, chunk.linesRead() - (cutAfterLine >= 0 ? 1 : 0), chunk.emptyLines(),
                chunk.endOffset(), permitsKb, cutAfterLine);
    }

    /** A line cut short is unfinished JSON, or ends inside a multi-byte character. */
    private static boolean cutShort(Rejection r) {
        return r.reason() == RejectReason.MALFORMED_JSON || r.reason() == RejectReason.INVALID_UTF8;
    }

    /** The rejection of line {@code i} of {@code chunk}, with the line's first bytes. */
    private static ImportError error(LineChunk chunk, int i, Rejection r) {
        int start = chunk.start(i), end = chunk.end(i);
        return new ImportError(chunk.lineNumber(i), r.reason(), r.message(),
                Arrays.copyOfRange(chunk.data(), start, Math.min(end, start + ImportError.HEAD_BYTES)));
    }
}
