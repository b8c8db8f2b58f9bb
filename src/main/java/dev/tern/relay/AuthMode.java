package dev.tern.relay;

/** Which actions need a NIP-42 authenticated connection. */
public enum AuthMode {
    /** Nobody has to authenticate (NIP-70 protected events still need their author's AUTH). */
    NONE,
    /** EVENT needs AUTH; reading stays open. */
    WRITE,
    /** EVENT, REQ and COUNT all need AUTH. */
    ALL;

    boolean writeNeedsAuth() { return this != NONE; }

    boolean readNeedsAuth() { return this == ALL; }
}
