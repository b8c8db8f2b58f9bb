package dev.tern.sync;

/** A sync that cannot go on; the message says why in one line for the operator. */
public class SyncException extends Exception {
    public SyncException(String message) {
        super(message);
    }
}
