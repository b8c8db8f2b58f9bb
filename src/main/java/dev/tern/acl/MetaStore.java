package dev.tern.acl;

/**
 * The store's small key/value side (its meta column family) as access control uses it: decisions made
 * through NIP-86 persist here so they survive a restart. Implementations write durably before returning.
 */
public interface MetaStore {
    /** The value under {@code key}, or null. */
    byte[] get(String key);

    void put(String key, byte[] value);
}
