package dev.tern.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's resident set size, read from Linux's /proc, to compare with the memory budget. */
public final class ProcessMemory {
    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {}

    /** Current RSS in bytes, or -1 where /proc is not available. */
    public static long rssBytes() {
        return kbField("VmRSS:");
    }

    /** Peak RSS in bytes since the process started, or -1. */
    public static long peakRssBytes() {
        return kbField("VmHWM:");
    }

    private static long kbField(String name) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(name)) {
                    String v = line.substring(name.length()).trim();
                    return Long.parseLong(v.substring(0, v.indexOf(' '))) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
