package dev.tern.acl;

import dev.tern.store.EventStore;

/** The store's meta family as {@link MetaStore}. Puts must run on the writer thread, as the store requires. */
record StoreMeta(EventStore store) implements MetaStore {
    @Override
    public byte[] get(String key) {
        return store.meta(key).orElse(null);
    }

    @Override
    public void put(String key, byte[] value) {
        store.putMeta(key, value);
    }
}
