package dev.tern.acl;

/**
 * Writes a meta value durably before returning. In the relay it is the store writer's own
 * ({@link dev.tern.store.StoreMutations#putMeta}), handed to a NIP-86 call that runs as a writer task, so
 * every change to the store stays on the writer thread.
 */
@FunctionalInterface
public interface MetaWriter {
    void put(String key, byte[] value);
}
