package dev.tern.ingest;

import dev.tern.event.RejectReason;

/** A rejected input line: its number, why, and its first {@value #HEAD_BYTES} bytes. */
public record ImportError(long lineNumber, RejectReason reason, String message, byte[] head) {
    public static final int HEAD_BYTES = 200;
}
