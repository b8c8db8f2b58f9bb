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

/** A chunk after parsing and verification: its events in input order and its rejected lines in line order. */
record ParsedChunk(List<Event> events, List<ImportError> errors, long linesRead, long emptyLines,
                   long endOffset, int permitsKb) {

    /**
     * Parses every line of {@code chunk} and asks {@code policy} about each event (runs on a worker thread);
     * {@code permitsKb} is what the chunk was charged.
     */
    static ParsedChunk parse(LineChunk chunk, EventParser parser, ImportPolicy policy, int permitsKb) {
        List<Event> events = new ArrayList<>(chunk.count());
        List<ImportError> errors = new ArrayList<>(chunk.tooLong());
        byte[] data = chunk.data();
        for (int i = 0; i < chunk.count(); i++) {
            int start = chunk.start(i), end = chunk.end(i);
            switch (parser.parse(data, start, end - start)) {
                case ParseResult.Parsed p -> {
                    String refusal = policy.refusal(p.event());
                    if (refusal == null) events.add(p.event());
                    else errors.add(error(chunk, i, new Rejection(RejectReason.POLICY, refusal)));
                }
                case ParseResult.Rejected r -> errors.add(error(chunk, i, r.rejection()));
            }
        }
        if (!chunk.tooLong().isEmpty()) errors.sort(Comparator.comparingLong(ImportError::lineNumber));
        return new ParsedChunk(events, errors, chunk.linesRead(), chunk.emptyLines(), chunk.endOffset(), permitsKb);
    }

    /** The rejection of line {@code i} of {@code chunk}, with the line's first bytes. */
    private static ImportError error(LineChunk chunk, int i, Rejection r) {
        int start = chunk.start(i), end = chunk.end(i);
        return new ImportError(chunk.lineNumber(i), r.reason(), r.message(),
                Arrays.copyOfRange(chunk.data(), start, Math.min(end, start + ImportError.HEAD_BYTES)));
    }
}
