package dev.tern.sync;

import dev.tern.ingest.ImportReport;
import java.util.Locale;
import java.util.Map;

/**
 * What one sync did: the items on each side, what each lacked, what moved and what was refused, the traffic (all of
 * it, and the negentropy messages' share, in bytes of hex as sent).
 * {@code fetched} is null when nothing was fetched (up only, or a dry run); {@code failure} null on success.
 */
public record SyncReport(String url, String filter, Direction direction, boolean dryRun, long localItems, long remoteItems,
                         long have, long need, int rounds, long negentropyBytesSent, long negentropyBytesReceived, ImportReport fetched, long uploaded, Map<String, Long> refused,
                         long bytesSent, long bytesReceived, double seconds, String failure) {

    public boolean failed() {
        return failure != null;
    }

    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "sync with %s (filter %s, %s%s): %s%n", url, filter,
                direction.name().toLowerCase(Locale.ROOT), dryRun ? ", dry run" : "", failed() ? "FAILED: " + failure : "complete"));
        line(sb, "items here", localItems);
        line(sb, "items there", remoteItems);
        line(sb, "only here (have)", have);
        line(sb, "only there (need)", need);
        line(sb, "negentropy rounds", rounds);
        line(sb, "negentropy bytes sent", negentropyBytesSent);
        line(sb, "negentropy bytes received", negentropyBytesReceived);
        if (fetched != null) {
            line(sb, "fetched", fetched.counts().eventsProcessed() + fetched.counts().rejectedTotal());
            sb.append(fetched.toText().lines().skip(1).filter(l -> !l.contains("lines read") && !l.contains("empty lines"))
                    .map(l -> "  " + l + System.lineSeparator()).reduce("", String::concat));
        }
        line(sb, "uploaded", uploaded);
        for (Map.Entry<String, Long> r : refused.entrySet()) line(sb, "  refused: " + r.getKey(), r.getValue());
        line(sb, "bytes sent", bytesSent);
        line(sb, "bytes received", bytesReceived);
        sb.append(String.format(Locale.ROOT, "  %-36s %15.1f%n", "elapsed seconds", seconds));
        return sb.toString();
    }

    private static void line(StringBuilder sb, String label, long n) {
        sb.append(String.format(Locale.ROOT, "  %-36s %,15d%n", label, n));
    }
}
