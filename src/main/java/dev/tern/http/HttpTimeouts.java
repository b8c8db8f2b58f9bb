package dev.tern.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the HTTP side of the relay's port waits for a slow or silent client (slowloris).
 *
 * @param header                   time to send a complete request head (or to finish a WebSocket upgrade), from
 *                                 the connection's start or, on a keep-alive connection, from the previous answer
 * @param uploadIdle               a request body must deliver a byte within this much time the relay spends waiting
 *                                 for it; also the window {@code uploadMinBytesPerSecond} is measured over
 * @param uploadMinBytesPerSecond  least average rate over such a window of waiting; 0 = no rate, only the idle rule
 */
public record HttpTimeouts(Duration header, Duration uploadIdle, long uploadMinBytesPerSecond) {
    public static final int DEFAULT_HEADER_SECONDS = 20;
    public static final int DEFAULT_UPLOAD_IDLE_SECONDS = 30;
    public static final long DEFAULT_UPLOAD_MIN_BYTES_PER_SECOND = 1024;
    /** The defaults above, which `tern serve`'s options also show and fall back to. */
    public static final HttpTimeouts DEFAULTS = new HttpTimeouts(Duration.ofSeconds(DEFAULT_HEADER_SECONDS),
            Duration.ofSeconds(DEFAULT_UPLOAD_IDLE_SECONDS), DEFAULT_UPLOAD_MIN_BYTES_PER_SECOND);

    public HttpTimeouts {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(uploadIdle, "uploadIdle");
        if (header.toMillis() < 1 || uploadIdle.toMillis() < 1) throw new IllegalArgumentException("HTTP timeouts must be positive");
        if (uploadMinBytesPerSecond < 0) throw new IllegalArgumentException("upload minimum rate must not be negative");
    }
}
