package dev.tern.sync.mirror;

import dev.tern.event.Event;
import dev.tern.event.EventParser;
import dev.tern.event.KindClass;
import dev.tern.event.ParseResult;
import dev.tern.event.Schnorr;
import dev.tern.ingest.ImportPolicy;
import dev.tern.store.EventStore;
import dev.tern.store.EventWrites;
import dev.tern.store.WriteOutcome;
import java.util.List;

/**
 * Takes the events peers send on their live subscriptions into the store, as the relay takes an EVENT
 * (RelayConnection#publish) but under the operator's import policy: an event the store already holds is dropped
 * before its signature is checked ({@link EventStore#isDuplicatePerMemory}), so the echoes of two relays mirroring
 * each other cost a lookup, never a verification or a write; the rest is verified and committed by the writer.
 * Ephemeral events (NIP-01, 20000-29999) are not mirrored: nothing stored tells an echo of one from a new one.
 */
final class LiveIngest {
    private static final EventParser UNVERIFIED = new EventParser(false);
    private final EventStore store;
    private final EventWrites writer;
    private final ImportPolicy policy;

    LiveIngest(EventStore store, EventWrites writer, ImportPolicy policy) {
        this.store = store;
        this.writer = writer;
        this.policy = policy;
    }

    /** One event object as {@code from}'s peer sent it; waits while the writer's queue is full (the peer's socket fills). */
    void take(byte[] json, PeerStream from) throws InterruptedException {
        PeerState state = from.state();
        if (!(UNVERIFIED.parse(json) instanceof ParseResult.Parsed parsed)) {
            state.refusedIn.incrementAndGet();
            return;
        }
        Event e = parsed.event();
        if (e.kindClass() == KindClass.EPHEMERAL || !state.peer.filter().matches(e)) return;
        state.seen(e.createdAt());
        if (store.isDuplicatePerMemory(e, System.currentTimeMillis() / 1000)) {
            state.duplicatesIn.incrementAndGet();
            return;
        }
        if (!Schnorr.verify(e.sig(), e.id(), e.pubkey()) || policy.refusal(e) != null) {
            state.refusedIn.incrementAndGet();
            return;
        }
        from.arriving(e.id());
        writer.put(List.of(e), null, (outcomes, failure) -> {
            from.arrived(e.id());
            WriteOutcome o = failure == null ? outcomes.get(0) : null;
            if (o == WriteOutcome.STORED || o == WriteOutcome.REPLACED_OLDER) state.eventsIn.incrementAndGet();
            else if (o == WriteOutcome.DUPLICATE || o == WriteOutcome.SUPERSEDED) state.duplicatesIn.incrementAndGet();
            else state.refusedIn.incrementAndGet(); // deleted, vanished, expired, or the write failed
        });
    }
}
