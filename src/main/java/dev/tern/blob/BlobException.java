package dev.tern.blob;

/** A Blossom request refused: the HTTP status and the reason for X-Reason (BUD-01). */
final class BlobException extends RuntimeException {
    final int status;

    BlobException(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    BlobException(int status, String reason, Throwable cause) {
        super(reason, cause, false, false);
        this.status = status;
    }
}
