package dev.tern.sync;

/** A negentropy message that cannot be processed; the message is a NIP-01 style reason ("invalid: ..."). */
public final class NegentropyException extends Exception {
    public NegentropyException(String reason) {
        super(reason);
    }
}
