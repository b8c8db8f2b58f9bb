package dev.tern.acl;

/**
 * The store's small key/value side (its meta column family) as access control reads it: decisions made
 * through NIP-86 persist there so they survive a restart. Writes go through a {@link MetaWriter}.
 */
@FunctionalInterface
public interface MetaStore {
    /** The value under {@code key}, or null. */
    byte[] get(String key);
}
