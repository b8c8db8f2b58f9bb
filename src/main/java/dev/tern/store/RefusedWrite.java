package dev.tern.store;

/**
 * A write that was not made, with the reason a client is told: its message starts with a NIP-01 prefix
 * ({@code error:}, {@code blocked:}), so the relay can send it as the OK's message unchanged.
 */
public final class RefusedWrite extends Exception {
    public RefusedWrite(String message) {
        super(message, null, false, false);
    }
}
