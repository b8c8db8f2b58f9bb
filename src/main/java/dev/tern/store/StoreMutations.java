package dev.tern.store;

/**
 * The store's changes besides event writes, handed only to tasks that run on the {@link StoreWriter}'s thread
 * (see {@link StoreWriter#offerTask}): nothing outside this package can make one, so the compiler keeps every
 * change to the store on that one thread, ordered with the event writes.
 */
public final class StoreMutations {
    private final EventStore store;

    StoreMutations(EventStore store) {
        this.store = store;
    }

    /**
     * Removes the event with this id, as an operator's ban does (NIP-86 banevent); unlike a NIP-09 deletion it
     * leaves no tombstone, since the ban that asked for it refuses the event from then on. False if none is stored.
     */
    public boolean remove(byte[] id) {
        return store.remove(id);
    }

    /** Writes a meta value (durable like the events: with the WAL, or in a bulk load with the next flush). */
    public void putMeta(String key, byte[] value) {
        store.putMeta(key, value);
    }

    /** Puts and deletes (a null value) several meta values in one atomic commit. */
    public void writeMeta(java.util.Map<String, byte[]> changes) {
        store.writeMeta(changes);
    }
}
