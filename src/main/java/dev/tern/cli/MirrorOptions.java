package dev.tern.cli;

import dev.tern.config.MemoryBudget;
import dev.tern.event.KeyPair;
import dev.tern.event.Nip19;
import dev.tern.sync.SyncSettings;
import dev.tern.sync.mirror.MirrorSettings;
import dev.tern.sync.mirror.MirrorSpec;
import java.time.Duration;
import picocli.CommandLine.Option;

/** `tern serve --mirror`: the relays kept in step with this one (see {@link MirrorSpec} for the syntax). */
final class MirrorOptions {
    @Option(names = "--mirror", paramLabel = "PEERS", defaultValue = "${env:TERN_MIRROR:-}",
            description = "Relays to mirror, separated by ';': each 'URL [down|up|both] [FILTER]', e.g. "
                    + "'wss://a.example both; wss://b.example down {\"kinds\":[0,1,3]}'; direction default down, filter default {} "
                    + "(env TERN_MIRROR, default empty: no mirroring).")
    String peers;

    @Option(names = "--mirror-reconcile-seconds", paramLabel = "S",
            defaultValue = "${env:TERN_MIRROR_RECONCILE_SECONDS:-" + MirrorSettings.DEFAULT_RECONCILE_SECONDS + "}",
            description = "Seconds between two NIP-77 reconciliations with each mirrored relay, besides the one at start and after "
                    + "a lost link; 0 = only those (env TERN_MIRROR_RECONCILE_SECONDS, default " + MirrorSettings.DEFAULT_RECONCILE_SECONDS + ").")
    long reconcileSeconds;

    @Option(names = "--sync-auth-key", paramLabel = "NSEC", defaultValue = "${env:TERN_SYNC_AUTH_KEY:-}",
            description = "Secret key (nsec or hex) that signs NIP-42 AUTH to mirrored relays: a reconciliation at the relay's "
                    + "challenge, a live link when the relay asks; empty: never authenticate (env TERN_SYNC_AUTH_KEY, default none).")
    String authKey;

    @Option(names = "--mirror-timeout-seconds", paramLabel = "S", defaultValue = "${env:TERN_MIRROR_TIMEOUT_SECONDS:-30}",
            description = "Longest wait for any one answer of a mirrored relay (env TERN_MIRROR_TIMEOUT_SECONDS, default 30).")
    int timeoutSeconds;

    /** The settings, or an IllegalArgumentException naming the option and the mistake in one line. */
    MirrorSettings settings(MemoryBudget budget, SyncSettings sync) {
        KeyPair key;
        try {
            key = authKey.isBlank() ? null : KeyPair.fromSecret(Nip19.secretKeyFromNsecOrHex(authKey));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("TERN_SYNC_AUTH_KEY: " + e.getMessage());
        }
        if (timeoutSeconds < 1) throw new IllegalArgumentException("--mirror-timeout-seconds must be at least 1");
        return new MirrorSettings(MirrorSpec.parse(peers), reconcileSeconds, key, Duration.ofSeconds(timeoutSeconds),
                budget.mirrorQueueMb() * 1024L * 1024, sync.maxPerSecond());
    }
}
