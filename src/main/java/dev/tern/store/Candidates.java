package dev.tern.store;

/**
 * A stream of stored events in index order: created_at descending, then serial ascending, each event
 * once. {@link #next()} advances; the accessors describe the current event.
 */
interface Candidates {
    boolean next();

    long createdAt();

    long serial();

    /** The current event's kind if this source knows it without the event's body (an index value), else -1. */
    default int kind() {
        return -1;
    }

    /** The current event's stored json if this source has read it already, else null. */
    default byte[] loadedJson() {
        return null;
    }

    /** Orders by created_at descending, then serial ascending. */
    static int compare(long createdAtA, long serialA, long createdAtB, long serialB) {
        int c = Long.compare(createdAtB, createdAtA);
        return c != 0 ? c : Long.compare(serialA, serialB);
    }
}
