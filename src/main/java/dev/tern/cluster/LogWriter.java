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
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    /** A bulk write's entries hold up to this much JSON: few entries for the log, and a bounded heap to apply each. */
    static final int BULK_ENTRY_BYTES = 256 << 10;
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

    /**
     * Waits for room, then sends the events in entries of up to {@link #BULK_ENTRY_BYTES} (a bulk write: an upload, a
     * sync, mirroring; an event alone goes as a client's does); the checkpoint is not kept (an upload or a sync is a stream: it never resumes).
     */
    @Override
    public void put(List<Event> events, Function<List<WriteOutcome>, Checkpoint> checkpoint, StoreWriter.Completion done)
            throws InterruptedException {
        int permits = permits(events);
        room.acquire(permits);
        // a repeated event goes to the log once and is answered as the writer answers a second copy in one batch
        Map<ByteKey, Integer> firstAt = new HashMap<>();
        int[] first = new int[events.size()];
        List<Event> sent = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            Integer earlier = firstAt.putIfAbsent(ByteKey.of(events.get(i).id()), i);
            first[i] = earlier == null ? i : earlier;
            if (earlier == null) sent.add(events.get(i));
        }
        List<CompletableFuture<WriteOutcome>> sentOutcomes = new ArrayList<>(sent.size());
        for (int from = 0, to; from < sent.size(); from = to) {
            long bytes = sent.get(from).json().length;
            for (to = from + 1; to < sent.size() && bytes + sent.get(to).json().length + 1 <= BULK_ENTRY_BYTES; to++) {
                bytes += sent.get(to).json().length + 1;
            }
            if (to - from == 1) sentOutcomes.add(send(sent.get(from))); // alone, it keeps its id as message id (a mirror's live event)
            else sentOutcomes.addAll(sendBulk(sent.subList(from, to), (int) bytes));
        }
        List<CompletableFuture<WriteOutcome>> outcomes = new ArrayList<>(events.size());
        for (int i = 0, next = 0; i < events.size(); i++) {
            outcomes.add(first[i] == i ? sentOutcomes.get(next++) : outcomes.get(first[i]).thenApply(LogWriter::again));
        }
        completeAll(outcomes, permits, done);
    }

    /**
     * One entry of several events. No message id of its own matters here: the duplicate window is for a client's
     * re-send, and the writer finds an event stored before as a duplicate on every node alike.
     */
    private List<CompletableFuture<WriteOutcome>> sendBulk(List<Event> events, int bytes) {
        List<CompletableFuture<WriteOutcome>> outcomes = new ArrayList<>(events.size());
        byte[] body = new byte[bytes];
        int at = 0;
        for (Event e : events) {
            outcomes.add(waiters.event(ByteKey.of(e.id())));
            if (at > 0) body[at++] = '\n';
            System.arraycopy(e.json(), 0, body, at, e.json().length);
            at += e.json().length;
        }
        log(Entry.events(settings.node()), body, "events-" + UUID.randomUUID()).whenComplete((a, failure) -> {
            for (int i = 0; i < events.size(); i++) {
                ByteKey id = ByteKey.of(events.get(i).id());
                if (failure == null) awaitApply(id, outcomes.get(i));
                else waiters.end(id, outcomes.get(i), null, new RefusedWrite(refusal(failure)));
            }
        });
        return outcomes;
    }

    private void send(List<Event> events, int permits, StoreWriter.Completion done) {
        List<CompletableFuture<WriteOutcome>> outcomes = new ArrayList<>(events.size());
        for (Event e : events) outcomes.add(send(e));
        completeAll(outcomes, permits, done);
    }

    /** The writer's answer to the second copy of an event in one batch, given its answer to the first. */
    private static WriteOutcome again(WriteOutcome first) {
        return switch (first) {
            case STORED, REPLACED_OLDER, DUPLICATE -> WriteOutcome.DUPLICATE;
            default -> first;
        };
    }

    /** When every event's wait has ended: the room back, and the writes' outcomes (or the first failure) to {@code done}. */
    private void completeAll(List<CompletableFuture<WriteOutcome>> outcomes, int permits, StoreWriter.Completion done) {
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
     * duplicate window gets no entry, so it goes once more under another message id: applied after everything the
     * log took before it, it gets the answer a single relay would give (duplicate, or blocked when deleted since).
     */
    private void publish(Event e, String messageId, CompletableFuture<WriteOutcome> outcome, boolean mayResend) {
        ByteKey id = ByteKey.of(e.id());
        log(Entry.event(settings.node()), e.json(), messageId).whenComplete((a, failure) -> {
            if (failure != null) {
                waiters.end(id, outcome, null, new RefusedWrite(refusal(failure)));
            } else if (a.isDuplicate() && mayResend) {
                // answered from the store here, it could miss a deletion other nodes logged since and this one has
                // not applied yet: sent once more, it is applied after everything the log took before it
                publish(e, messageId + "/" + settings.node() + "/" + a.getSeqno(), outcome, false);
            } else if (a.isDuplicate() && applied.getAsLong() >= a.getSeqno()) { // its re-send, too, was logged already
                waiters.end(id, outcome, WriteOutcome.DUPLICATE, null);
            } else {
                awaitApply(id, outcome);
            }
        });
    }

    @Override
    public boolean submit(byte[] body, ByteKey admin, Consumer<Nip86Handler.Response> answer) {
        String messageId = "nip86-" + UUID.randomUUID();
        CompletableFuture<Nip86Handler.Response> response = waiters.call(messageId);
        response.thenAccept(answer);
        log(Entry.nip86(settings.node(), admin == null ? null : admin.toString()), body, messageId).whenComplete((a, failure) -> {
            if (failure != null) waiters.endCall(messageId, response, Nip86Handler.unavailable(refusal(failure)));
            else afterApplyTimeout(response, () -> waiters.endCall(messageId, response, Nip86Handler.unavailable(
                    "the cluster log took the call, but this node has not applied it yet")));
        });
        return true;
    }

    /** The log took the event: its wait ends with the applier's answer, or with a time-out's refusal. */
    private void awaitApply(ByteKey id, CompletableFuture<WriteOutcome> outcome) {
        // ends the wait unless the applier answered first (end on a completed wait changes nothing)
        afterApplyTimeout(outcome, () -> waiters.end(id, outcome, null, new RefusedWrite("error: the cluster log took the event, "
                + "but this node has not applied it within " + settings.applyTimeout().toSeconds() + " s; it will be stored")));
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

    /**
     * Publishes one entry with its message id (JetStream's duplicate window); a connection that is down or closed
     * under us answers as a failed ack with {@link #UNREACHABLE}, so every caller handles one kind of failure.
     */
    private CompletableFuture<PublishAck> log(Headers headers, byte[] body, String messageId) {
        try {
            return link.jetStream().publishAsync(settings.subject(), headers, body,
                            PublishOptions.builder().messageId(messageId).expectedStream(settings.stream()).build())
                    .orTimeout(PUBLISH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (IOException | IllegalStateException failure) { // not connected, or the connection closed under us
            return CompletableFuture.failedFuture(new RefusedWrite(UNREACHABLE));
        }
    }

    private static String refusal(Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (t instanceof RefusedWrite r) return r.getMessage();
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
