package dev.tern.sync;

import dev.tern.event.ByteKey;
import dev.tern.event.EventParser;
import dev.tern.event.JsonBytes;
import dev.tern.event.ParseResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The events this side lacks, fetched beside the reconciliation as its rounds find them: one REQ by ids at a time
 * (NIP-01), {@link #BATCH} ids each, its events handed to the {@link Download} (the import's path) as they come.
 */
final class Fetches {
    static final int BATCH = 250;
    static final String SUB = "tern-fetch";
    private static final EventParser UNVERIFIED = new EventParser(false);
    private final Download download;
    private final SyncConnection connection;
    private final long timeoutNanos;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    /** The open REQ's ids not yet received; empty when no REQ is open. */
    private final Set<ByteKey> wanted = new HashSet<>();
    private boolean open;
    private long lastHeard;

    Fetches(Download download, SyncConnection connection, long timeoutNanos) {
        this.download = download;
        this.connection = connection;
        this.timeoutNanos = timeoutNanos;
    }

    void add(List<byte[]> ids) {
        queue.addAll(ids);
    }

    /** Ids queued or asked for. */
    int pending() {
        return queue.size() + wanted.size();
    }

    /** Opens the next REQ when none is; returns when it next needs a turn (its time-out while a REQ is open). */
    long pump(long now) throws IOException, SyncException {
        if (open && now - lastHeard > timeoutNanos) {
            throw new SyncException("no events or EOSE within " + timeoutNanos / 1_000_000_000L + " s while fetching");
        }
        if (!open && !queue.isEmpty() && !connection.authPending()) {
            int n = Math.min(BATCH, queue.size());
            JsonBytes req = new JsonBytes(80 + n * 67).ascii("[\"REQ\",").string(SUB).ascii(",{\"ids\":[");
            for (int i = 0; i < n; i++) {
                byte[] id = queue.poll();
                if (i > 0) req.raw((byte) ',');
                req.hexString(id);
                wanted.add(ByteKey.of(id));
            }
            connection.send(new String(req.ascii("]}]").toByteArray(), StandardCharsets.US_ASCII));
            open = true;
            lastHeard = now;
        }
        return open ? lastHeard + timeoutNanos + 1 : Long.MAX_VALUE;
    }

    /** Takes a message of the open REQ; false for any other. */
    boolean take(Incoming m, long now) throws IOException, SyncException {
        if (!open || !m.string(0).equals(SUB)) return false;
        lastHeard = now;
        switch (m.type()) {
            case "EVENT" -> {
                if (m.object() != null && UNVERIFIED.parse(m.object()) instanceof ParseResult.Parsed p
                        && wanted.remove(ByteKey.of(p.event().id()))) {
                    download.write(m.object()); // verified, counted and committed by the import
                }
            }
            case "EOSE" -> {
                connection.send("[\"CLOSE\",\"" + SUB + "\"]");
                if (!wanted.isEmpty()) connection.refuse("not served by the relay", wanted.size());
                done();
            }
            case "CLOSED" -> {
                String reason = m.string(1);
                if (reason.startsWith("auth-required:") && connection.authenticateFor(reason)) {
                    List<byte[]> again = new ArrayList<>(wanted.size());
                    for (ByteKey k : wanted) again.add(k.bytes());
                    again.forEach(queue::addFirst);
                } else {
                    connection.refuse("fetch " + SyncJob.prefix(reason), wanted.size());
                }
                done();
            }
            default -> { }
        }
        return true;
    }

    private void done() {
        wanted.clear();
        open = false;
    }
}
