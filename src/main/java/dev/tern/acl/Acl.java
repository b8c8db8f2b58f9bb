package dev.tern.acl;

import java.time.Clock;

/**
 * Access control assembled from its settings: the write policy, the follow set (follows mode), the
 * NIP-86 state and handler (managed mode), the per-IP rate limiter and the admin API guard.
 */
public final class Acl {
    private final AclSettings settings;
    private final FollowSet follows;
    private final ManagedState managed;
    private final Nip86Handler nip86;
    private final AclPolicy policy;
    private final IpRateLimiter rateLimiter;
    private final AdminGuard adminGuard;

    /**
     * @param meta    the store's meta values (NIP-86 decisions persist there)
     * @param deleter removes a banned event through the store's writer
     */
    public Acl(AclSettings settings, MetaStore meta, EventDeleter deleter, Clock clock) {
        this.settings = settings;
        this.follows = settings.mode() == AclMode.FOLLOWS ? new FollowSet(settings.identities(), settings.followsMax()) : null;
        this.managed = settings.mode() == AclMode.MANAGED ? new ManagedState(meta, settings.maxEntries()) : null;
        this.nip86 = managed == null ? null : new Nip86Handler(managed, deleter);
        this.policy = new AclPolicy(settings.mode(), settings.identities(), follows, managed, settings.ipRules());
        this.rateLimiter = new IpRateLimiter(settings.connectionsPerMinute(), settings.eventsPerSecond(), settings.rateMaxIps());
        Nip98Validator nip98 = new Nip98Validator(settings.identities(), settings.nip98WindowSeconds(),
                settings.nip98ReplayMax(), () -> clock.millis() / 1000);
        this.adminGuard = new AdminGuard(settings.identities(), nip98);
    }

    public AclSettings settings() { return settings; }

    public AclPolicy policy() { return policy; }

    /** The follow set in follows mode, else null. */
    public FollowSet follows() { return follows; }

    /** The NIP-86 decisions in managed mode, else null. */
    public ManagedState managed() { return managed; }

    /** The NIP-86 handler in managed mode, else null (the API is then not served). */
    public Nip86Handler nip86() { return nip86; }

    public IpRateLimiter rateLimiter() { return rateLimiter; }

    public AdminGuard adminGuard() { return adminGuard; }
}
