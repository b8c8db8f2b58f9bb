package dev.tern.cli;

import dev.tern.acl.AclSettings;
import dev.tern.acl.DmPrivacy;
import dev.tern.acl.ProofOfWork;
import dev.tern.acl.Identities;
import dev.tern.acl.IpRules;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Access control: who owns the relay, who may write, which addresses may connect (how fast: {@link RateOptions}). */
final class AclOptions {
    @Option(names = "--owners", paramLabel = "KEYS", defaultValue = "${env:TERN_OWNERS:-}",
            description = "Comma-separated owner pubkeys (npub or hex); they may write, sign NIP-98 admin requests "
                    + "and their follows may write in follows mode (env TERN_OWNERS, default none).")
    String owners;

    @Option(names = "--admins", paramLabel = "KEYS", defaultValue = "${env:TERN_ADMINS:-}",
            description = "Comma-separated admin pubkeys (npub or hex), with the same rights as owners "
                    + "(env TERN_ADMINS, default none).")
    String admins;

    @Mixin
    AclModeOption aclMode;

    @Option(names = "--ip-allow", paramLabel = "CIDRS", defaultValue = "${env:TERN_IP_ALLOW:-}",
            description = "Comma-separated IPv4/IPv6 addresses or CIDR blocks; when set only these may connect "
                    + "(env TERN_IP_ALLOW, default none).")
    String ipAllow;

    @Option(names = "--ip-deny", paramLabel = "CIDRS", defaultValue = "${env:TERN_IP_DENY:-}",
            description = "Comma-separated IPv4/IPv6 addresses or CIDR blocks that may not connect "
                    + "(env TERN_IP_DENY, default none).")
    String ipDeny;

    @Option(names = "--acl-follows-max", paramLabel = "N", defaultValue = "${env:TERN_ACL_FOLLOWS_MAX:-" + AclSettings.DEFAULT_FOLLOWS_MAX + "}",
            description = "Most pubkeys the follows-mode write set holds (env TERN_ACL_FOLLOWS_MAX, default " + AclSettings.DEFAULT_FOLLOWS_MAX + ").")
    int followsMax;

    @Option(names = "--acl-max-entries", paramLabel = "N", defaultValue = "${env:TERN_ACL_MAX_ENTRIES:-" + AclSettings.DEFAULT_MAX_ENTRIES + "}",
            description = "Most entries in each NIP-86 list: banned/allowed pubkeys, banned events, kinds, blocked IPs "
                    + "(env TERN_ACL_MAX_ENTRIES, default " + AclSettings.DEFAULT_MAX_ENTRIES + ").")
    int maxEntries;

    @Option(names = "--nip98-window", paramLabel = "SECONDS", defaultValue = "${env:TERN_NIP98_WINDOW:-" + AclSettings.DEFAULT_NIP98_WINDOW_SECONDS + "}",
            description = "How far a NIP-98 auth event's created_at may be from now (env TERN_NIP98_WINDOW, default " + AclSettings.DEFAULT_NIP98_WINDOW_SECONDS + ").")
    long nip98WindowSeconds;

    @Option(names = "--nip98-replay-max", paramLabel = "N", defaultValue = "${env:TERN_NIP98_REPLAY_MAX:-" + AclSettings.DEFAULT_NIP98_REPLAY_MAX + "}",
            description = "Most used NIP-98 auth events remembered to refuse replays; when full, admin requests wait "
                    + "for the window to pass (env TERN_NIP98_REPLAY_MAX, default " + AclSettings.DEFAULT_NIP98_REPLAY_MAX + ").")
    int nip98ReplayMax;

    @Option(names = "--protected-kinds", paramLabel = "KINDS", defaultValue = "${env:TERN_PROTECTED_KINDS:-4,1059}",
            description = "Comma-separated kinds served only to their parties, authenticated with NIP-42: a pubkey in "
                    + "their p tags, or for kind 4 the author (NIP-17/59 gift wraps, NIP-04 DMs); none = no kind "
                    + "(env TERN_PROTECTED_KINDS, default 4,1059).")
    String protectedKinds;

    @Option(names = "--min-pow", paramLabel = "BITS", defaultValue = "${env:TERN_MIN_POW:-0}",
            description = "Least NIP-13 proof of work (leading zero bits of the id, committed in a nonce tag) of events "
                    + "from others than owners and admins; 0 = none (env TERN_MIN_POW, default 0).")
    int minPow;

    /** The parsed settings, with the per-address rates of {@code rates}; throws IllegalArgumentException naming the bad entry. */
    AclSettings settings(RateOptions rates) {
        return new AclSettings(aclMode.mode, Identities.parse(owners, admins), IpRules.parse(ipAllow, ipDeny), followsMax, maxEntries,
                rates.ipConnectionsPerMinute(), rates.ipEventsPerSecond(), rates.ipMaxTracked(), nip98WindowSeconds, nip98ReplayMax,
                DmPrivacy.parse(protectedKinds), new ProofOfWork(minPow));
    }
}
