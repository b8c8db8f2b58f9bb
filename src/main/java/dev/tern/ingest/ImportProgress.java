package dev.tern.ingest;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * A live view of a running import. {@code inputBytes} counts the input as given (compressed bytes for a
 * compressed file) against {@code totalBytes} (-1 if unknown); rates cover this run only.
 */
public record ImportProgress(String id, String source, ImportJob.State state, long inputBytes, long totalBytes,
                             long linesRead, long eventsStored, long eventsProcessed, long rejected,
                             double elapsedSeconds, double eventsPerSecond, double mbPerSecond, long rssBytes) {

    /** Fraction of the input read, or -1 if its size is unknown. */
    public double fraction() {
        return totalBytes > 0 ? Math.min(1.0, (double) inputBytes / totalBytes) : -1;
    }

    /** Seconds left at the current rate, or -1 if unknown. */
    public double etaSeconds() {
        double f = fraction();
        return f <= 0 || elapsedSeconds <= 0 ? -1 : elapsedSeconds * (1 - f) / f;
    }

    public void writeJson(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", id);
        g.writeStringField("source", source);
        g.writeStringField("state", state.name().toLowerCase());
        g.writeNumberField("input_bytes", inputBytes);
        g.writeNumberField("total_bytes", totalBytes);
        g.writeNumberField("lines_read", linesRead);
        g.writeNumberField("events_stored", eventsStored);
        g.writeNumberField("events_processed", eventsProcessed);
        g.writeNumberField("rejected", rejected);
        g.writeNumberField("elapsed_seconds", round(elapsedSeconds));
        g.writeNumberField("events_per_second", round(eventsPerSecond));
        g.writeNumberField("mb_per_second", round(mbPerSecond));
        g.writeNumberField("eta_seconds", round(etaSeconds()));
        g.writeNumberField("rss_bytes", rssBytes);
        g.writeEndObject();
    }

    static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
