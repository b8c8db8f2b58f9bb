package dev.tern.event;

/**
 * Events whose signature was checked before, so that an exact copy needs no second check: the id is the
 * hash of the content, pubkey included (NIP-01), so the same id and signature verify the same way. The
 * parser still hashes every event to compare its id. Thread-safe implementations only: workers share one.
 */
public interface VerifiedBefore {
    /** Nothing is known: every signature is checked. */
    VerifiedBefore NONE = new VerifiedBefore() {
        @Override public boolean holds(byte[] id, byte[] sig) { return false; }
        @Override public void verified(byte[] id) { }
    };

    /** True only if an event with exactly this id and signature passed the check before. */
    boolean holds(byte[] id, byte[] sig);

    /** The event with this id has just passed the check. */
    void verified(byte[] id);
}
