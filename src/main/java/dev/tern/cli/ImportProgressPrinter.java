package dev.tern.cli;

import dev.tern.ingest.ImportJob;
import dev.tern.ingest.ImportProgress;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows an import's progress on stderr. On a terminal: one bar redrawn in place (share read, bytes, events/s over
 * the last seconds, ETA, RSS), left at its final state when the import ends. Otherwise (a log file, a pipe): a line
 * every few seconds, and the rate of each tenth of the input when its size is known, which shows whether the import
 * slows down as the store grows (bench/import.sh reads those lines); on a terminal the bar's rate shows that.
 */
final class ImportProgressPrinter {
    private static final Logger log = LoggerFactory.getLogger("import");
    private static final long SAMPLE_MILLIS = 250;
    /** The rate shown is over this window: recent enough to show a slowdown, long enough not to flicker. */
    private static final double RECENT_SECONDS = 5;
    private static final int BAR = 20;

    private final ImportJob job;
    private final String name;
    private final PrintStream err = System.err;
    private final int columns; // 0 when stderr is not a terminal
    private final double logSeconds;
    private final ScheduledExecutorService timer;
    private final ArrayDeque<ImportProgress> recent = new ArrayDeque<>();
    // the last sample, for the tenths: a tenth's end is placed between the two samples around it
    private double lastFraction;
    private double lastSeconds;
    private long lastEvents;
    private int tenth;
    private double tenthStartSeconds;
    private long tenthStartEvents;
    private double nextLogAt;

    ImportProgressPrinter(ImportJob job, String name, int logSeconds) {
        this.job = job;
        this.name = name;
        this.columns = TerminalWidth.ofStderr();
        this.logSeconds = Math.max(1, logSeconds);
        this.nextLogAt = this.logSeconds;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "import-progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::tick, SAMPLE_MILLIS, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        ImportProgress p = job.progress();
        recent.addLast(p);
        while (recent.size() > 2 && p.elapsedSeconds() - recent.peekFirst().elapsedSeconds() > RECENT_SECONDS) recent.removeFirst();
        logTenths(p);
        if (columns > 0) {
            draw(bar(p, recentRate(p)) + "  ETA " + (p.etaSeconds() >= 0 ? ImportProgress.duration(p.etaSeconds()) : "?"));
        } else if (p.elapsedSeconds() >= nextLogAt) {
            nextLogAt += logSeconds;
            log.info("import {}: {}", name, p.describe(recentRate(p)));
        }
    }

    /** Events/s over the last few seconds (all of the run until there are two samples). */
    private double recentRate(ImportProgress p) {
        ImportProgress first = recent.peekFirst();
        double secs = first == null ? 0 : p.elapsedSeconds() - first.elapsedSeconds();
        return secs > 0 ? (p.eventsProcessed() - first.eventsProcessed()) / secs : p.eventsPerSecond();
    }

    /**
     * Logs each tenth of the input read since the last sample, with the events/s while it was read. Samples come
     * every quarter second, and several tenths can pass between two: each end is placed between the samples in
     * proportion to the bytes, so a tenth's rate is the rate around it, never the 0 of two ends at one instant.
     */
    private void logTenths(ImportProgress p) {
        double f = p.fraction();
        if (f < 0) return;
        while (tenth < 10 && f >= (tenth + 1) / 10.0) {
            double at = (tenth + 1) / 10.0;
            double w = f > lastFraction ? (at - lastFraction) / (f - lastFraction) : 1;
            double secs = lastSeconds + w * (p.elapsedSeconds() - lastSeconds);
            long events = lastEvents + Math.round(w * (p.eventsProcessed() - lastEvents));
            tenth++;
            double took = secs - tenthStartSeconds;
            if (columns == 0) log.info(String.format(Locale.ROOT, "tenth %d/10 of the input: %,.0f events/s (%.1f s)", tenth,
                    took > 0 ? (events - tenthStartEvents) / took : 0.0, took));
            tenthStartSeconds = secs;
            tenthStartEvents = events;
        }
        lastFraction = f;
        lastSeconds = p.elapsedSeconds();
        lastEvents = p.eventsProcessed();
    }

    /** The bar's figures: share and bytes read, events/s, RSS (the ETA or the time taken follow). */
    private String bar(ImportProgress p, double rate) {
        double f = p.fraction();
        String done = f < 0 ? ImportProgress.size(p.doneBytes()) + " done"
                : String.format(Locale.ROOT, "%3.0f%% [%s%s] %s / %s", f * 100, "#".repeat((int) (f * BAR)),
                        "-".repeat(BAR - (int) (f * BAR)), ImportProgress.size(p.doneBytes()), ImportProgress.size(p.totalBytes()));
        return done + String.format(Locale.ROOT, "  %,.0f events/s", rate)
                + (p.rejected() > 0 ? String.format(Locale.ROOT, "  %,d rejected", p.rejected()) : "")
                + "  RSS " + ImportProgress.size(p.rssBytes());
    }

    /** Redraws the bar line in place: back to its start, the text cut to the terminal's width, the rest erased. */
    private void draw(String line) {
        String text = "  " + line;
        err.print("\r" + (text.length() >= columns ? text.substring(0, columns - 1) : text) + "\033[K");
        err.flush();
    }

    /** Stops the samples, logs the tenths not logged yet and leaves the bar at its final state. */
    void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ImportProgress p = job.progress();
        logTenths(p); // the last tenths usually end between samples
        if (columns > 0) {
            draw(bar(p, p.eventsPerSecond()) + "  in " + ImportProgress.duration(p.elapsedSeconds()));
            err.println();
        }
    }
}
