package dev.tern.sync;

import java.io.IOException;

/**
 * What the uploads and the fetches of a sync need of its connection, which they share with the reconciliation:
 * sending, NIP-42 authentication, the tally of refusals.
 */
interface SyncConnection {
    void send(String message) throws IOException;

    /**
     * The remote refused something with {@code auth-required:} (NIP-42): true if an AUTH is on its way (try again once it
     * is answered), false if it cannot help (no key, no challenge, or the connection is authenticated already).
     */
    boolean authenticateFor(String reason) throws IOException, SyncException;

    /** True while an AUTH awaits its OK: nothing more is sent meanwhile, as it would be refused the same way. */
    boolean authPending();

    void refuse(String reason, long n);
}
