package dev.tern.cli;

import dev.tern.ingest.ImportJob;
import dev.tern.ingest.ImportProgress;
import java.io.Console;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows an import's progress: a progress bar on stderr when it is a terminal, otherwise a log line every
 * few seconds. Either way it logs the rate of each tenth of the input (when its size is known), which
 * shows whether the import slows down as the store grows.
 */
final class ImportProgressPrinter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("import");
    private static final int BAR = 30;

    private final ImportJob job;
    private final boolean terminal;
    private final long logEveryTicks;
    private final PrintStream err = System.err;
    private final ScheduledExecutorService timer;
    private long ticks;
    private int tenth;
    private long tenthEvents;
    private double tenthSeconds;

    ImportProgressPrinter(ImportJob job, int logSeconds) {
        this.job = job;
        this.terminal = stderrIsTerminal();
        this.logEveryTicks = Math.max(1, logSeconds);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "import-progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    private void tick() {
        ImportProgress p = job.progress();
        ticks++;
        logTenths(p);
        if (terminal) {
            err.print("\r" + bar(p));
            err.flush();
        } else if (ticks % logEveryTicks == 0) {
            log.info(line(p));
        }
    }

    private void logTenths(ImportProgress p) {
        if (p.totalBytes() <= 0) return;
        while (tenth < 10 && p.fraction() >= (tenth + 1) / 10.0) {
            double secs = p.elapsedSeconds() - tenthSeconds;
            long events = p.eventsProcessed() - tenthEvents;
            tenth++;
            String msg = String.format(Locale.ROOT, "tenth %d/10 of the input: %,.0f events/s", tenth, secs > 0 ? events / secs : 0.0);
            if (terminal) err.print("\r" + " ".repeat(100) + "\r");
            log.info(msg);
            tenthSeconds = p.elapsedSeconds();
            tenthEvents = p.eventsProcessed();
        }
    }

    private static String bar(ImportProgress p) {
        double f = p.fraction();
        String bar = f < 0 ? "" : "[" + "#".repeat((int) (f * BAR)) + " ".repeat(BAR - (int) (f * BAR)) + "] "
                + String.format(Locale.ROOT, "%5.1f%% ", f * 100);
        return bar + line(p) + "   ";
    }

    private static String line(ImportProgress p) {
        double eta = p.etaSeconds();
        return String.format(Locale.ROOT, "%s MB, %,d lines, %,d stored, %,.0f events/s, %.1f MB/s, ETA %s, RSS %d MB",
                mb(p.inputBytes()) + (p.totalBytes() > 0 ? "/" + mb(p.totalBytes()) : ""),
                p.linesRead(), p.eventsStored(), p.eventsPerSecond(), p.mbPerSecond(),
                eta < 0 ? "?" : String.format(Locale.ROOT, "%d:%02d", (long) eta / 60, (long) eta % 60), p.rssBytes() >> 20);
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%,d", bytes >> 20);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        logTenths(job.progress()); // the last tenth usually ends between ticks
        if (terminal) err.println();
    }

    /** System.console() is non-null for redirected streams on newer JDKs; Console.isTerminal (JDK 22+) tells. */
    private static boolean stderrIsTerminal() {
        Console c = System.console();
        if (c == null) return false;
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a console exists only on a terminal
        }
    }
}
