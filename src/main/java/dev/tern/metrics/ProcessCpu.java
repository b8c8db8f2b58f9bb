package dev.tern.metrics;

import java.lang.management.ManagementFactory;

/** CPU time this process has used, all threads together (JVM, workers, RocksDB's background threads). */
public final class ProcessCpu {
    private ProcessCpu() {}

    /** Seconds of CPU so far, or -1 where the JVM cannot tell. */
    public static double seconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long nanos = os.getProcessCpuTime();
            return nanos < 0 ? -1 : nanos / 1e9;
        }
        return -1;
    }
}
