package dev.tern.ingest;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tern.event.RejectReason;
import java.io.IOException;
import java.util.Locale;

/**
 * The outcome of an import. Counters cover the whole input, including what an interrupted earlier run
 * committed before this one resumed; times and rates cover this run ({@code bytesThisRun} decompressed
 * bytes, {@code eventsThisRun} valid events written). {@code failure} says why a failed import stopped; {@code truncation}
 * where an input that was read to its end had been cut off (else null). {@code cpuSeconds} is the whole process's CPU during the
 * run (-1 if unknown): an offline import's own cost, with a running relay's other work added when uploaded.
 */
public record ImportReport(String source, ImportCounts counts, boolean resumed, long bytesThisRun, long eventsThisRun,
                           double elapsedSeconds, double cpuSeconds, long peakRssBytes, String failure, Truncation truncation) {

    public boolean failed() { return failure != null; }

    public boolean truncated() { return truncation != null; }

    public double eventsPerSecond() {
        return elapsedSeconds > 0 ? eventsThisRun / elapsedSeconds : 0;
    }

    public double mbPerSecond() {
        return elapsedSeconds > 0 ? bytesThisRun / 1e6 / elapsedSeconds : 0;
    }

    /** Microseconds of CPU per event written, or -1: with every core busy, a rate above cores / this is out of reach. */
    public double cpuMicrosPerEvent() {
        return cpuSeconds >= 0 && eventsThisRun > 0 ? cpuSeconds * 1e6 / eventsThisRun : -1;
    }

    /** How the import ended, in the words the status and the report share: complete, truncated or failed. */
    public String state() {
        return failed() ? "failed" : truncated() ? "truncated" : "complete";
    }

    /** Why it failed, or where the input was cut off; null when complete. */
    public String error() {
        return failed() ? failure : truncated() ? truncation.describe() : null;
    }

    /** The report as one JSON object: what was imported, how it ended, and the figures. */
    public void writeJson(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("source", source);
        g.writeStringField("state", state());
        g.writeStringField("error", error());
        writeFields(g);
        g.writeEndObject();
    }

    /** The figures as JSON fields (inside an object the caller opened); unknown ones are null. */
    public void writeFields(JsonGenerator g) throws IOException {
        g.writeBooleanField("resumed", resumed);
        if (truncated()) g.writeNumberField("truncated_after_line", truncation.afterLine());
        else g.writeNullField("truncated_after_line");
        counts.writeJson(g);
        g.writeNumberField("elapsed_seconds", ImportProgress.round(elapsedSeconds));
        g.writeNumberField("events_per_second", ImportProgress.round(eventsPerSecond()));
        g.writeNumberField("mb_per_second", ImportProgress.round(mbPerSecond()));
        nullable(g, "cpu_seconds", cpuSeconds);
        nullable(g, "cpu_us_per_event", cpuMicrosPerEvent());
        g.writeNumberField("peak_rss_bytes", peakRssBytes);
    }

    private static void nullable(JsonGenerator g, String name, double value) throws IOException {
        if (value >= 0) g.writeNumberField(name, ImportProgress.round(value));
        else g.writeNullField(name);
    }

    /** A human-readable summary, one figure a line. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "import of %s: %s%s%n", source,
                failed() ? "FAILED: " + failure : truncated() ? "TRUNCATED: " + truncation.describe() : "complete",
                resumed ? " (resumed)" : ""));
        for (ImportCounts.Counter c : ImportCounts.Counter.values()) {
            if (c == ImportCounts.Counter.BYTES) continue;
            sb.append(String.format(Locale.ROOT, "  %-36s %,15d%n", c.label(), counts.get(c)));
        }
        sb.append(String.format(Locale.ROOT, "  %-36s %,15d%n", "rejected", counts.rejectedTotal()));
        for (RejectReason r : RejectReason.values()) {
            if (counts.rejected(r) > 0) sb.append(String.format(Locale.ROOT, "    %-34s %,15d%n", r.label(), counts.rejected(r)));
        }
        sb.append(String.format(Locale.ROOT, "  %-36s %15.1f%n", "elapsed seconds", elapsedSeconds));
        sb.append(String.format(Locale.ROOT, "  %-36s %,15.0f%n", "events/s", eventsPerSecond()));
        sb.append(String.format(Locale.ROOT, "  %-36s %15.1f%n", "MB/s (decompressed)", mbPerSecond()));
        if (cpuSeconds >= 0) sb.append(String.format(Locale.ROOT, "  %-36s %15.1f%n", "CPU seconds (whole process)", cpuSeconds));
        if (cpuMicrosPerEvent() >= 0) sb.append(String.format(Locale.ROOT, "  %-36s %15.1f%n", "CPU us per event", cpuMicrosPerEvent()));
        sb.append(String.format(Locale.ROOT, "  %-36s %,15d%n", "peak RSS MB", peakRssBytes >> 20));
        return sb.toString();
    }
}
