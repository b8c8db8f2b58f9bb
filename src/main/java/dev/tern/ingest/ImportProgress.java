package dev.tern.ingest;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Locale;

/**
 * A live view of a running import. {@code inputBytes} counts the input as given (compressed bytes for a
 * compressed file) read so far, {@code doneBytes} the part of it whose lines are committed (for a compressed file,
 * in proportion to the decompressed bytes), against {@code totalBytes} (-1 if unknown: a stream, a multipart
 * upload). The reader runs ahead of the commits by the import's queue, a whole small file at once, so the share
 * done and the ETA follow the commits. Rates cover this run only.
 */
public record ImportProgress(long inputBytes, long doneBytes, long totalBytes, long linesRead, long eventsStored,
                             long eventsProcessed, long rejected, double elapsedSeconds, double eventsPerSecond,
                             double mbPerSecond, long rssBytes) {

    /** Fraction of the input done, or -1 if its size is unknown. */
    public double fraction() {
        return totalBytes > 0 ? Math.min(1.0, (double) doneBytes / totalBytes) : -1;
    }

    /** Seconds left at the average rate so far, or -1 if unknown. */
    public double etaSeconds() {
        double f = fraction();
        return f <= 0 || elapsedSeconds <= 0 ? -1 : elapsedSeconds * (1 - f) / f;
    }

    /**
     * One log line's worth: how far (a share of the total when known), lines, stored, rejected, {@code rate} events/s
     * (the caller's choice: recent or average), the ETA when known, RSS.
     */
    public String describe(double rate) {
        double eta = etaSeconds();
        return (totalBytes > 0 ? String.format(Locale.ROOT, "%.0f%% of %s", fraction() * 100, size(totalBytes)) : size(doneBytes) + " done")
                + String.format(Locale.ROOT, ", %,d lines, %,d stored", linesRead, eventsStored)
                + (rejected > 0 ? String.format(Locale.ROOT, ", %,d rejected", rejected) : "")
                + String.format(Locale.ROOT, ", %,.0f events/s", rate)
                + (eta >= 0 ? ", ETA " + duration(eta) : "")
                + ", RSS " + size(rssBytes);
    }

    /** Bytes as people read them: 812 MB, 2.7 GB. */
    public static String size(long bytes) {
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%,d MB", bytes >> 20);
    }

    /** Seconds as m:ss, or h:mm:ss from an hour. */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** The figures as JSON fields (inside an object the caller opened); unknown ones are null. */
    public void writeFields(JsonGenerator g) throws IOException {
        g.writeNumberField("input_bytes", inputBytes);
        if (totalBytes >= 0) g.writeNumberField("total_bytes", totalBytes);
        else g.writeNullField("total_bytes");
        g.writeNumberField("lines_read", linesRead);
        g.writeNumberField("events_stored", eventsStored);
        g.writeNumberField("events_processed", eventsProcessed);
        g.writeNumberField("rejected", rejected);
        g.writeNumberField("elapsed_seconds", round(elapsedSeconds));
        g.writeNumberField("events_per_second", round(eventsPerSecond));
        g.writeNumberField("mb_per_second", round(mbPerSecond));
        double eta = etaSeconds();
        if (eta >= 0) g.writeNumberField("eta_seconds", round(eta));
        else g.writeNullField("eta_seconds");
        g.writeNumberField("rss_bytes", rssBytes);
    }

    static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
