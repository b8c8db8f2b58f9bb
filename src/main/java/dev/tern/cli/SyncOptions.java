package dev.tern.cli;

import dev.tern.sync.SyncSettings;
import picocli.CommandLine.Option;

/** The relay's NIP-77 negentropy sessions (see {@link SyncSettings}). */
final class SyncOptions {
    @Option(names = "--sync-enabled", paramLabel = "BOOL", arity = "1", defaultValue = "${env:TERN_SYNC_ENABLED:-true}",
            description = "Serve NIP-77 negentropy sync (NEG-OPEN) and list 77 in NIP-11 (env TERN_SYNC_ENABLED, default true).")
    boolean enabled;

    @Option(names = "--sync-sessions-per-connection", paramLabel = "N", defaultValue = "${env:TERN_SYNC_SESSIONS_PER_CONNECTION:-4}",
            description = "Open sync sessions on one connection; more get NEG-ERR (env TERN_SYNC_SESSIONS_PER_CONNECTION, default 4).")
    int perConnection;

    @Option(names = "--sync-sessions", paramLabel = "N", defaultValue = "${env:TERN_SYNC_SESSIONS:-32}",
            description = "Open sync sessions on the relay; more get NEG-ERR (env TERN_SYNC_SESSIONS, default 32).")
    int total;

    @Option(names = "--sync-frame-bytes", paramLabel = "N", defaultValue = "${env:TERN_SYNC_FRAME_BYTES:-131072}",
            description = "Largest negentropy answer in bytes, before hex doubles it, unless the client's own messages were "
                    + "larger (env TERN_SYNC_FRAME_BYTES, default 131072).")
    int frameBytes;

    @Option(names = "--sync-idle-seconds", paramLabel = "S", defaultValue = "${env:TERN_SYNC_IDLE_SECONDS:-60}",
            description = "A sync session with no NEG-MSG for this long is closed (env TERN_SYNC_IDLE_SECONDS, default 60).")
    int idleSeconds;

    @Option(names = "--sync-max-rounds", paramLabel = "N", defaultValue = "${env:TERN_SYNC_MAX_ROUNDS:-500}",
            description = "NEG-MSGs one sync session may send (env TERN_SYNC_MAX_ROUNDS, default 500).")
    int maxRounds;

    @Option(names = "--sync-max-per-second", paramLabel = "N", defaultValue = "${env:TERN_SYNC_MAX_PER_SECOND:-100000}",
            description = "Matching events sharing one created_at second that a sync sorts in memory; more get NEG-ERR "
                    + "(env TERN_SYNC_MAX_PER_SECOND, default 100000).")
    int maxPerSecond;

    SyncSettings settings() {
        return new SyncSettings(enabled, perConnection, total, frameBytes, idleSeconds * 1000L, maxRounds, maxPerSecond);
    }
}
