package dev.tern.store;

/** A RocksDB failure (I/O error, corruption, closed store). Unchecked: callers can only report it. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
