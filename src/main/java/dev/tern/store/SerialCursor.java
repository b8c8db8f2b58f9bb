package dev.tern.store;

/** Stored events in serial (commit) order, each with its serial. */
public interface SerialCursor extends EventCursor {
    /** The serial of the event {@link #next} returns next, once {@link #hasNext} said there is one, or returned last. */
    long serial();
}
