package dev.tern.sync;

import dev.tern.filter.Filter;
import dev.tern.store.EventStore;
import dev.tern.store.StoreSnapshot;
import dev.tern.store.Visibility;

/**
 * The relay's side of one NIP-77 subscription: the filter's events in one store snapshot, answered a message at
 * a time. Used by one thread at a time (the relay hands it from query thread to query thread).
 */
public final class ServerSession implements AutoCloseable {
    private final StoreSnapshot snapshot;
    private final Negentropy negentropy;
    private final int maxRounds;
    private int rounds;
    private int largestQuery;

    /** {@code visibility}: the events the client may see (NIP-17/59/04 private messages), as a REQ of it would. */
    public ServerSession(EventStore store, Filter filter, Visibility visibility, SyncSettings settings) {
        this.snapshot = store.snapshot(visibility);
        this.negentropy = new Negentropy(new StoreItems(snapshot, filter, settings.maxPerSecond()), settings.frameBytes());
        this.maxRounds = settings.maxRounds();
    }

    /** The answer to the client's next message; a bad message or one round too many is refused with a reason. */
    public byte[] answer(byte[] message) throws NegentropyException {
        if (++rounds > maxRounds) {
            throw new NegentropyException("blocked: more than " + maxRounds + " negentropy rounds in one session");
        }
        // a client that writes large messages reads them too: answers as large as its largest (which the relay's message
        // limit bounds) keep it from sending again what a smaller answer would leave out; TERN_SYNC_FRAME_BYTES is the floor
        largestQuery = Math.max(largestQuery, message.length);
        return negentropy.respond(message, largestQuery);
    }

    @Override
    public void close() {
        snapshot.close();
    }
}
