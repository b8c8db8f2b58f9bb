package dev.tern.sync;

import dev.tern.event.ByteKey;
import dev.tern.event.Hex;
import dev.tern.store.EventStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The events the remote lacks, sent beside the reconciliation as its rounds find them (NIP-01 EVENT): at most
 * {@link #IN_FLIGHT} await their OK, paced by a {@link Pacer} once the remote answers {@code rate-limited:}; such an
 * event goes back to the front of the queue, up to {@link #RATE_LIMITED_TRIES} times. Each event is read from the
 * store only when it is sent, so the queue holds ids.
 */
final class Uploads {
    static final int IN_FLIGHT = 50;
    static final int RATE_LIMITED_TRIES = 10;
    private final EventStore store;
    private final SyncConnection connection;
    private final long timeoutNanos;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private final Map<ByteKey, byte[]> inFlight = new HashMap<>();
    private final Map<ByteKey, Integer> limitedTries = new HashMap<>();
    private final Pacer pacer = new Pacer();
    private final AtomicLong uploaded = new AtomicLong();
    /** When the remote last answered one of ours, or the first of those in flight went out. */
    private long lastAnswer;

    Uploads(EventStore store, SyncConnection connection, long timeoutNanos) {
        this.store = store;
        this.connection = connection;
        this.timeoutNanos = timeoutNanos;
    }

    void add(List<byte[]> ids) {
        queue.addAll(ids);
    }

    /** Ids queued or awaiting their OK. */
    int pending() {
        return queue.size() + inFlight.size();
    }

    long uploaded() {
        return uploaded.get();
    }

    double pace() {
        return pacer.rate();
    }

    /**
     * Sends what the in-flight bound and the pace allow; returns when it next needs a turn (its pace, or its time-out
     * while events are in flight), or Long.MAX_VALUE if never before an answer.
     */
    long pump(long now) throws IOException, SyncException {
        if (!inFlight.isEmpty() && now - lastAnswer > timeoutNanos) {
            throw new SyncException("no OK within " + timeoutNanos / 1_000_000_000L + " s for " + inFlight.size() + " sent events");
        }
        while (!queue.isEmpty() && inFlight.size() < IN_FLIGHT && !connection.authPending()) {
            long at = pacer.nextAt(now);
            if (at > now) return at;
            byte[] id = queue.poll();
            Optional<byte[]> json = store.get(id);
            if (json.isEmpty()) continue; // removed here since the snapshot (deleted, expired): nothing to send
            if (inFlight.isEmpty()) lastAnswer = now;
            inFlight.put(ByteKey.of(id), id);
            pacer.sent(now);
            connection.send("[\"EVENT\"," + new String(json.get(), StandardCharsets.UTF_8) + "]");
        }
        return inFlight.isEmpty() ? Long.MAX_VALUE : lastAnswer + timeoutNanos + 1;
    }

    /** Takes the OK of an event in flight; false for any other message. */
    boolean take(Incoming m, long now) throws IOException, SyncException {
        if (!m.type().equals("OK") || m.string(0).length() != 2 * Item.ID_SIZE) return false;
        ByteKey key;
        try {
            key = ByteKey.of(Hex.decode(m.string(0)));
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] id = inFlight.remove(key);
        if (id == null) return false;
        lastAnswer = now;
        String reason = m.string(1);
        if (Boolean.TRUE.equals(m.flag())) {
            uploaded.incrementAndGet();
            pacer.accepted(now);
            limitedTries.remove(key);
        } else if (reason.startsWith("rate-limited:") && limitedTries.merge(key, 1, Integer::sum) <= RATE_LIMITED_TRIES) {
            pacer.limited(now);
            queue.addFirst(id);
        } else if (reason.startsWith("auth-required:") && connection.authenticateFor(reason)) {
            queue.addFirst(id);
        } else {
            limitedTries.remove(key);
            connection.refuse(SyncJob.prefix(reason), 1);
        }
        return true;
    }
}
