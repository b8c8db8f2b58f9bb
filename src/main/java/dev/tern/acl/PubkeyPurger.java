package dev.tern.acl;

import dev.tern.event.ByteKey;

/**
 * Removes what a pubkey stored beside its events once a NIP-86 ban names it; in the relay the Blossom server's
 * removal of its blobs, run inside the ban's store-writer task like {@link EventDeleter}.
 */
@FunctionalInterface
public interface PubkeyPurger {
    PubkeyPurger NONE = pubkey -> {};

    void purge(ByteKey pubkey);
}
