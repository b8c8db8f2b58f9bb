package dev.tern.sync.mirror;

import dev.tern.event.KeyPair;
import java.time.Duration;
import java.util.List;

/**
 * Mirroring's configuration ({@code tern serve --mirror}).
 *
 * @param peers            the relays to mirror; empty: mirroring is off
 * @param reconcileSeconds seconds between two reconciliations with a peer; 0: only at start and after a reconnection
 * @param authKey          signs NIP-42 AUTH when a peer asks for it; null: never authenticate
 * @param timeout          the longest wait for any one answer of a peer
 * @param queueBytes       what the peers' queues of new local events may hold in all (their share of the budget)
 * @param maxPerSecond     events of one created_at second a reconciliation sorts in memory (as the relay's sync)
 */
public record MirrorSettings(List<MirrorPeer> peers, long reconcileSeconds, KeyPair authKey, Duration timeout, long queueBytes,
                             int maxPerSecond) {
    public static final long DEFAULT_RECONCILE_SECONDS = 900;
    /** What one queued id costs on the heap: the 32-byte array and the queue's node. */
    static final int BYTES_PER_QUEUED_ID = 96;

    public MirrorSettings {
        peers = List.copyOf(peers);
        if (reconcileSeconds < 0) throw new IllegalArgumentException("--mirror-reconcile-seconds must be 0 or more");
    }

    /** The queue of each peer, in ids: the mirror's share split evenly. */
    int queuePerPeer() {
        return (int) Math.max(100, queueBytes / BYTES_PER_QUEUED_ID / Math.max(1, peers.size()));
    }
}
