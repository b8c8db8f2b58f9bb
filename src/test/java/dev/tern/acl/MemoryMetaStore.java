package dev.tern.acl;

import java.util.concurrent.ConcurrentHashMap;

/** Meta values in a map, for unit tests of ManagedState's logic; the store-backed tests use the real store. */
final class MemoryMetaStore implements MetaStore, MetaWriter {
    private final ConcurrentHashMap<String, byte[]> values = new ConcurrentHashMap<>();

    @Override
    public byte[] get(String key) {
        return values.get(key);
    }

    @Override
    public void put(String key, byte[] value) {
        values.put(key, value.clone());
    }
}
