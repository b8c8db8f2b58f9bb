package dev.tern.event;

/** A refused input: the category and the message sent to the client, with its NIP-01 prefix (e.g. "invalid: ..."). */
public record Rejection(RejectReason reason, String message) {
    public static Rejection invalid(RejectReason reason, String detail) {
        return new Rejection(reason, "invalid: " + detail);
    }
}
