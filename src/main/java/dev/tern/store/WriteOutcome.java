package dev.tern.store;

/** What {@link EventStore#write} did with one event. */
public enum WriteOutcome {
    /** Stored; nothing was superseded. */
    STORED,
    /** An event with this id is already stored (earlier in the same batch or before). */
    DUPLICATE,
    /** Refused: a newer version of this replaceable/addressable address is stored (NIP-01). */
    SUPERSEDED,
    /** Stored, and it replaced an older version of its address (NIP-01). */
    REPLACED_OLDER,
    /** Refused: its author deleted it (or its address up to its created_at) before (NIP-09). */
    DELETED_BEFORE,
    /** Refused: its author asked this relay to vanish (NIP-62) at or after its created_at, or, for a gift wrap, its recipient did. */
    VANISHED,
    /** Refused: its expiration is not after now (NIP-40). */
    EXPIRED,
    /** Ephemeral kinds 20000-29999 are never stored (NIP-01). */
    EPHEMERAL_NOT_STORED;

    /** True if the event is now stored because of this write. */
    public boolean stored() {
        return this == STORED || this == REPLACED_OLDER;
    }
}
