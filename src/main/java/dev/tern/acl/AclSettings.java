package dev.tern.acl;

/**
 * Everything access control is configured with (the cli's AclOptions builds it from TERN_* values).
 *
 * @param followsMax            most pubkeys the follows-mode set holds
 * @param maxEntries            most entries in each NIP-86 list (bans, allows, kinds, IPs)
 * @param connectionsPerMinute  new connections per minute per IP (0 = unlimited)
 * @param eventsPerSecond       events per second per IP (0 = unlimited)
 * @param rateMaxIps            most IPs the rate limiter tracks at once
 * @param nip98WindowSeconds    how far a NIP-98 auth event's created_at may be from now
 * @param nip98ReplayMax        most recently used NIP-98 auth event ids remembered
 * @param privacy               which kinds only their parties may read (NIP-17/59/04)
 * @param proofOfWork           the least NIP-13 difficulty of events from others than owners and admins
 */
public record AclSettings(AclMode mode, Identities identities, IpRules ipRules, int followsMax, int maxEntries,
                          int connectionsPerMinute, int eventsPerSecond, int rateMaxIps,
                          long nip98WindowSeconds, int nip98ReplayMax, DmPrivacy privacy,
                          ProofOfWork proofOfWork) {

    public AclSettings {
        atLeast("TERN_ACL_FOLLOWS_MAX", followsMax, 1);
        atLeast("TERN_ACL_MAX_ENTRIES", maxEntries, 1);
        atLeast("TERN_IP_CONNECTIONS_PER_MINUTE", connectionsPerMinute, 0);
        atLeast("TERN_IP_EVENTS_PER_SECOND", eventsPerSecond, 0);
        atLeast("TERN_IP_MAX_TRACKED", rateMaxIps, 16);
        atLeast("TERN_NIP98_WINDOW", nip98WindowSeconds, 1);
        atLeast("TERN_NIP98_REPLAY_MAX", nip98ReplayMax, 1);
        java.util.Objects.requireNonNull(privacy, "privacy");
        java.util.Objects.requireNonNull(proofOfWork, "proofOfWork");
    }

    private static void atLeast(String name, long value, long min) {
        if (value < min) throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
    }

    public static final int DEFAULT_FOLLOWS_MAX = 50_000;
    public static final int DEFAULT_MAX_ENTRIES = 10_000;
    public static final int DEFAULT_IP_CONNECTIONS_PER_MINUTE = 0;
    public static final int DEFAULT_IP_EVENTS_PER_SECOND = 0;
    public static final int DEFAULT_IP_MAX_TRACKED = 65_536;
    public static final long DEFAULT_NIP98_WINDOW_SECONDS = 60;
    public static final int DEFAULT_NIP98_REPLAY_MAX = 10_000;

    /** The defaults above, which `tern serve`'s options also show and fall back to. */
    public static AclSettings defaults(AclMode mode, Identities identities) {
        return new AclSettings(mode, identities, IpRules.OPEN, DEFAULT_FOLLOWS_MAX, DEFAULT_MAX_ENTRIES, DEFAULT_IP_CONNECTIONS_PER_MINUTE,
                DEFAULT_IP_EVENTS_PER_SECOND, DEFAULT_IP_MAX_TRACKED, DEFAULT_NIP98_WINDOW_SECONDS, DEFAULT_NIP98_REPLAY_MAX, DmPrivacy.DEFAULT,
                ProofOfWork.OFF);
    }
}
