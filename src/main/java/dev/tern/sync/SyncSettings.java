package dev.tern.sync;

/**
 * The relay's side of NIP-77. A session holds only a store snapshot between messages; the work of a message
 * (its scans, one second's events, the answer) happens on a query thread, so its memory is bounded per query
 * thread, not per session.
 *
 * @param enabled            NEG-OPEN is served and NIP-11 lists 77
 * @param perConnection      open sessions on one connection
 * @param total              open sessions on the relay
 * @param frameBytes         largest answer, in bytes before hex encoding (the hex doubles it)
 * @param idleMillis         a session with no NEG-MSG for this long is closed
 * @param maxRounds          NEG-MSGs one session may send
 * @param maxPerSecond       matching events sharing one created_at second (they are sorted in memory)
 */
public record SyncSettings(boolean enabled, int perConnection, int total, int frameBytes, long idleMillis, int maxRounds,
                           int maxPerSecond) {
    public static final SyncSettings DEFAULTS = new SyncSettings(true, 4, 32, 128 * 1024, 60_000, 500, 100_000);

    public SyncSettings {
        if (perConnection < 1 || total < 1 || idleMillis < 1 || maxRounds < 1 || maxPerSecond < 1) {
            throw new IllegalArgumentException("sync limits must be positive");
        }
        if (frameBytes < Negentropy.MIN_FRAME_SIZE) throw new IllegalArgumentException("sync frame must be at least 4096 bytes");
    }
}
