package dev.tern.sync.mirror;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tern.ingest.ImportCounts;
import dev.tern.sync.SyncReport;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the operator sees of one peer (/api/stats, /metrics, the page): the live link, the events each way, the
 * last reconciliation and the last error. Written by the peer's threads and the reconciliation thread, read by
 * any.
 */
final class PeerState {
    static final long SLACK_SECONDS = 600;
    final MirrorPeer peer;
    volatile boolean connected;
    /** Events the peer gave us that we stored (live and by reconciliation), and those we sent that it stored. */
    final AtomicLong eventsIn = new AtomicLong(), eventsOut = new AtomicLong();
    /** Events one side already had: dropped here before verification, or answered {@code duplicate:} by the peer. */
    final AtomicLong duplicatesIn = new AtomicLong(), duplicatesOut = new AtomicLong();
    /** Events refused: ours of the peer's (invalid, banned, deleted ...), the peer's of ours (OK false). */
    final AtomicLong refusedIn = new AtomicLong(), refusedOut = new AtomicLong();
    /** New local events not queued for the peer because its queue was full: the next reconciliation sends them. */
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong errors = new AtomicLong(), connects = new AtomicLong(), reconciliations = new AtomicLong();
    private volatile String lastError;
    private volatile long lastErrorAt;
    private volatile SyncReport lastReconciliation;
    private volatile long lastReconciliationAt;
    /** Newest created_at of the events the peer sent live; the next live subscription starts there. */
    private final AtomicLong newestSeen;

    PeerState(MirrorPeer peer, long startSeconds) {
        this.peer = peer;
        this.newestSeen = new AtomicLong(startSeconds);
    }

    void error(String message) {
        errors.incrementAndGet();
        lastError = message;
        lastErrorAt = System.currentTimeMillis() / 1000;
    }

    void reconciled(SyncReport report) {
        reconciliations.incrementAndGet();
        lastReconciliation = report;
        lastReconciliationAt = System.currentTimeMillis() / 1000;
        if (report.fetched() != null) eventsIn.addAndGet(stored(report));
        eventsOut.addAndGet(report.uploaded());
        if (report.failed()) error("reconciliation: " + report.failure());
    }

    private static long stored(SyncReport r) {
        return r.fetched() == null ? 0 : r.fetched().counts().get(ImportCounts.Counter.STORED);
    }

    void seen(long createdAt) {
        newestSeen.accumulateAndGet(createdAt, Math::max);
    }

    /**
     * Where the next live subscription starts: {@link #SLACK_SECONDS} before the newest event seen (never in the
     * future), so an event published late or from a clock behind ours still comes; what came already is dropped
     * as a duplicate before verification.
     */
    long since(long nowSeconds) {
        return Math.min(newestSeen.get(), nowSeconds) - SLACK_SECONDS;
    }

    long lastReconciliationAt() {
        return lastReconciliationAt;
    }

    boolean lastReconciliationFailed() {
        SyncReport r = lastReconciliation;
        return r != null && r.failed();
    }

    void writeJson(JsonGenerator g, int queued) throws IOException {
        g.writeStartObject();
        g.writeStringField("url", peer.url().toString());
        g.writeStringField("direction", peer.direction().name().toLowerCase(java.util.Locale.ROOT));
        g.writeStringField("filter", peer.filterJson());
        g.writeBooleanField("connected", connected);
        g.writeNumberField("connects", connects.get());
        g.writeNumberField("events_in", eventsIn.get());
        g.writeNumberField("events_out", eventsOut.get());
        g.writeNumberField("duplicates_in", duplicatesIn.get());
        g.writeNumberField("duplicates_out", duplicatesOut.get());
        g.writeNumberField("refused_in", refusedIn.get());
        g.writeNumberField("refused_out", refusedOut.get());
        g.writeNumberField("queued", queued);
        g.writeNumberField("dropped", dropped.get());
        g.writeNumberField("errors", errors.get());
        if (lastError != null) {
            g.writeStringField("last_error", lastError);
            g.writeNumberField("last_error_at", lastErrorAt);
        }
        g.writeNumberField("reconciliations", reconciliations.get());
        SyncReport r = lastReconciliation;
        if (r != null) {
            g.writeObjectFieldStart("last_reconciliation");
            g.writeNumberField("at", lastReconciliationAt);
            g.writeBooleanField("ok", !r.failed());
            if (r.failed()) g.writeStringField("failure", r.failure());
            g.writeNumberField("seconds", r.seconds());
            g.writeNumberField("only_here", r.have());
            g.writeNumberField("only_there", r.need());
            g.writeNumberField("fetched", stored(r));
            g.writeNumberField("uploaded", r.uploaded());
            g.writeEndObject();
        }
        g.writeEndObject();
    }
}
