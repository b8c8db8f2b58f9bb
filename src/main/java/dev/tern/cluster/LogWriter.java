package dev.tern.cluster;

import dev.tern.acl.Nip86Calls;
import dev.tern.acl.Nip86Handler;
import dev.tern.event.ByteKey;
import dev.tern.event.Event;
import dev.tern.store.Checkpoint;
import dev.tern.store.EventSize;
import dev.tern.store.EventStore;
import dev.tern.store.EventWrites;
import dev.tern.store.RefusedWrite;
import dev.tern.store.StoreWriter;
import dev.tern.store.WriteOutcome;
import io.nats.client.JetStream;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Sends this node's writes to the log: each verified event as an entry whose message id is the event id, each
 * NIP-86 call as an entry of its own. A write completes once the log has taken it and this node's applier has
 * applied it, so the client hears the store's own outcome and can read its write back from this node at once.
 * Events waiting are bounded in bytes; with NATS away a write is refused at once with {@code error:}.
 */
final class LogWriter implements EventWrites, Nip86Calls {
    /** A publish the log has not acknowledged by then failed (a NATS server lost mid-way, no quorum). */
    private static final long PUBLISH_TIMEOUT_SECONDS = 10;
    static final String UNREACHABLE = "error: the relay's cluster log is unreachable; try again shortly";

    private final ClusterSettings settings;
    private final NatsLink link;
    private final EventStore store;
    private final Waiters waiters;
    private final LongSupplier applied;
    /** Bytes of events sent and not yet applied, in KiB permits (an event holds at least one). */
    private final Semaphore room;
    private final int roomPermits;

    LogWriter(ClusterSettings settings, NatsLink link, EventStore store, Waiters waiters, LongSupplier applied) {
        this.settings = settings;
        this.store = store;
        this.link = link;
        this.waiters = waiters;
        this.applied = applied;
        this.roomPermits = (int) Math.min(Integer.MAX_VALUE, Math.max(1, settings.pendingBytes() / 1024));
        this.room = new Semaphore(roomPermits);
    }

    @Override
    public EventStore store() {
        return store;
    }

    @Override
    public boolean offer(List<Event> events, StoreWriter.Completion done) {
        int permits = permits(events);
        if (!room.tryAcquire(permits)) return false;
        send(events, permits, done);
        return true;
    }

    /** Waits for room, then sends; the checkpoint is not kept (an upload or a sync is a stream: it never resumes). */
    @Override
    public void put(List<Event> events, Function<List<WriteOutcome>, Checkpoint> checkpoint, StoreWriter.Completion done)
            throws InterruptedException {
        int permits = permits(events);
        room.acquire(permits);
        send(events, permits, done);
    }

    private void send(List<Event> events, int permits, StoreWriter.Completion done) {
        List<CompletableFuture<WriteOutcome>> outcomes = new ArrayList<>(events.size());
        for (Event e : events) outcomes.add(send(e));
        CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).whenComplete((ignored, failure) -> {
            room.release(permits);
            if (failure != null) {
                done.done(null, failure instanceof CompletionException c && c.getCause() instanceof Exception cause ? cause
                        : new RefusedWrite("error: " + failure.getMessage()));
                return;
            }
            List<WriteOutcome> list = new ArrayList<>(outcomes.size());
            for (CompletableFuture<WriteOutcome> f : outcomes) list.add(f.join());
            done.done(list, null);
        });
    }

    private CompletableFuture<WriteOutcome> send(Event e) {
        CompletableFuture<WriteOutcome> outcome = waiters.event(ByteKey.of(e.id()));
        publish(e, e.idHex(), outcome, true);
        return outcome;
    }

    /**
     * Publishes {@code e} with {@code messageId}; the applier completes {@code outcome}. A re-send within the
     * duplicate window gets no entry: if this node applied the first and holds the event, it is a duplicate; if it
     * does not hold it (deleted, replaced, expired since), the event goes once more under another message id, so
     * every node's writer gives the same answer a single relay would.
     */
    private void publish(Event e, String messageId, CompletableFuture<WriteOutcome> outcome, boolean mayResend) {
        ByteKey id = ByteKey.of(e.id());
        CompletableFuture<PublishAck> ack;
        try {
            JetStream js = link.jetStream();
            ack = js.publishAsync(settings.subject(), Entry.event(settings.node()), e.json(),
                    PublishOptions.builder().messageId(messageId).expectedStream(settings.stream()).build());
        } catch (IOException | IllegalStateException failure) { // not connected, or the connection closed under us
            waiters.end(id, outcome, null, new RefusedWrite(UNREACHABLE));
            return;
        }
        ack.orTimeout(PUBLISH_TIMEOUT_SECONDS, TimeUnit.SECONDS).whenComplete((a, failure) -> {
            if (failure != null) {
                waiters.end(id, outcome, null, new RefusedWrite(refusal(failure)));
            } else if (a.isDuplicate() && applied.getAsLong() >= a.getSeqno()) {
                if (mayResend && store.get(e.id()).isEmpty()) publish(e, messageId + "/" + a.getSeqno(), outcome, false);
                else waiters.end(id, outcome, WriteOutcome.DUPLICATE, null);
            } else { // ends the wait unless the applier answered first (end on a completed wait changes nothing)
                afterApplyTimeout(outcome, () -> waiters.end(id, outcome, null, new RefusedWrite("error: the cluster log took the event, "
                        + "but this node has not applied it within " + settings.applyTimeout().toSeconds() + " s; it will be stored")));
            }
        });
    }

    @Override
    public boolean submit(byte[] body, ByteKey admin, Consumer<Nip86Handler.Response> answer) {
        String messageId = "nip86-" + UUID.randomUUID();
        CompletableFuture<Nip86Handler.Response> response = waiters.call(messageId);
        response.thenAccept(answer);
        try {
            link.jetStream().publishAsync(settings.subject(), Entry.nip86(settings.node(), admin == null ? null : admin.toString()), body,
                            PublishOptions.builder().messageId(messageId).expectedStream(settings.stream()).build())
                    .orTimeout(PUBLISH_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .whenComplete((a, failure) -> {
                        if (failure != null) waiters.endCall(messageId, response, Nip86Handler.unavailable(refusal(failure)));
                        else afterApplyTimeout(response, () -> waiters.endCall(messageId, response, Nip86Handler.unavailable(
                                "the cluster log took the call, but this node has not applied it yet")));
                    });
        } catch (IOException | IllegalStateException failure) { // not connected, or the connection closed under us
            waiters.endCall(messageId, response, Nip86Handler.unavailable(UNREACHABLE));
        }
        return true;
    }

    /**
     * Runs {@code end} if {@code wait} is not complete when the apply time-out has passed. The timer is on a copy: an
     * {@code orTimeout} on the wait itself would complete it with a bare TimeoutException first, so the client would hear
     * neither the reason nor, for a NIP-86 call, anything; the copy's timer goes when the wait completes.
     */
    private void afterApplyTimeout(CompletableFuture<?> wait, Runnable end) {
        wait.copy().orTimeout(settings.applyTimeout().toMillis(), TimeUnit.MILLISECONDS).exceptionally(t -> {
            if (t instanceof TimeoutException) end.run();
            return null;
        });
    }

    private static String refusal(Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (t instanceof TimeoutException) return "error: the relay's cluster log did not acknowledge the event in time; try again";
        return "error: the relay's cluster log refused the write (" + t.getMessage() + ")";
    }

    /** A write larger than the whole bound takes all of it, so it waits for the others but never for ever. */
    private int permits(List<Event> events) {
        long bytes = 0;
        for (Event e : events) bytes += EventSize.heapBytes(e);
        return (int) Math.min(roomPermits, Math.max(events.size(), (bytes + 1023) / 1024));
    }
}
