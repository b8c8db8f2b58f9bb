package dev.tern.acl;

import dev.tern.event.ByteKey;
import dev.tern.event.Event;
import dev.tern.ingest.ImportPolicy;
import java.net.InetAddress;
import java.util.Set;

/**
 * Who may connect and who may write, per TERN_ACL_MODE. Thread-safe; decisions read immutable snapshots.
 *
 * <p>Whose permission counts: an event is admitted if its author <em>or</em> the pubkey the
 * connection authenticated with (NIP-42) is permitted. So a member may, after AUTH, republish events
 * of others (a client broadcasting a thread, a migration), and an author who is a member needs no
 * AUTH at all. A ban (managed mode) wins over both: neither a banned author nor a banned
 * authenticated key gets through. NIP-70 protected events are the exception: only their author,
 * authenticated as such, may publish them.
 *
 * <p>Prefixes follow NIP-01 and NIP-42: {@code blocked:} for bans and refused addresses,
 * {@code auth-required:} when authenticating as a permitted key could help and the client has not
 * authenticated, {@code restricted:} when it has and the key is still not permitted.
 */
public final class AclPolicy {
    private final AclMode mode;
    private final Identities identities;
    private final FollowSet follows;
    private final ManagedState managed;
    private final IpRules ipRules;

    /** {@code follows} is used in follows mode and {@code managed} in managed mode; either may be null otherwise. */
    public AclPolicy(AclMode mode, Identities identities, FollowSet follows, ManagedState managed, IpRules ipRules) {
        if (mode == AclMode.FOLLOWS && follows == null) throw new IllegalArgumentException("follows mode needs a follow set");
        if (mode == AclMode.MANAGED && managed == null) throw new IllegalArgumentException("managed mode needs its state");
        this.mode = mode;
        this.identities = identities;
        this.follows = follows;
        this.managed = managed;
        this.ipRules = ipRules;
    }

    public AclMode mode() { return mode; }

    /** At connection accept: the static IP rules, and in managed mode the blocked IPs. */
    public Decision canConnect(InetAddress ip) {
        Decision d = ipRules.check(ip);
        if (!d.allowed()) return d;
        if (mode == AclMode.MANAGED && managed.isBlockedIp(ip)) return Decision.blocked("your IP address is blocked");
        return Decision.ALLOW;
    }

    /**
     * May {@code e} be stored? {@code authed} holds the pubkeys the connection authenticated with
     * (NIP-42 allows several; empty if none); {@code ip} is the client's address. Cheap (hash lookups),
     * so the relay asks before it verifies the signature.
     */
    public Decision canWrite(Event e, Set<ByteKey> authed, InetAddress ip) {
        ByteKey author = ByteKey.of(e.pubkey());
        if (e.isProtected() && !authed.contains(author)) {
            return notPermitted(authed, "this event is protected (NIP-70): only its author may publish it");
        }
        return switch (mode) {
            case NONE -> Decision.ALLOW;
            case FOLLOWS -> isMember(author) || anyMatch(authed, this::isMember) ? Decision.ALLOW
                    : notPermitted(authed, "only the relay owners' follows may write here");
            case MANAGED -> managedWrite(e, author, authed, ip);
        };
    }

    /**
     * May {@code pubkey} store blobs on the relay's Blossom server? Owners and admins always; then follows mode's
     * follow set, managed mode's allow list, or anyone when {@code publicUploads}. A NIP-86 ban refuses even then.
     */
    public Decision canStoreBlobs(ByteKey pubkey, boolean publicUploads) {
        if (mode == AclMode.MANAGED && managed.isBannedPubkey(pubkey)) return Decision.blocked("your pubkey is banned");
        if (identities.isPrivileged(pubkey) || publicUploads) return Decision.ALLOW;
        return switch (mode) {
            case FOLLOWS -> follows.contains(pubkey) ? Decision.ALLOW : Decision.restricted("only the relay owners' follows may upload here");
            case MANAGED -> managed.isAllowedPubkey(pubkey) ? Decision.ALLOW : Decision.restricted("only allowed pubkeys may upload here");
            case NONE -> Decision.restricted("uploads are for the relay's owners and admins (TERN_BLOSSOM_PUBLIC_UPLOADS is off)");
        };
    }

    /** An owner or admin (TERN_OWNERS, TERN_ADMINS). */
    public boolean isPrivileged(ByteKey pubkey) {
        return identities.isPrivileged(pubkey);
    }

    /**
     * True if the connection authenticated (NIP-42) with an owner's or admin's key: the operator's own tools, such as
     * `tern sync` with TERN_SYNC_AUTH_KEY, which the relay exempts from its event rates. The events' authors do not count:
     * anyone may send an admin's signed events.
     */
    public boolean isPrivilegedConnection(Set<ByteKey> authed) {
        return anyMatch(authed, identities::isPrivileged);
    }

    /** True if the author or an authenticated key is an owner or admin (exempt from NIP-13 proof of work). */
    public boolean isPrivileged(Event e, Set<ByteKey> authed) {
        return identities.isPrivileged(ByteKey.of(e.pubkey())) || isPrivilegedConnection(authed);
    }

    private boolean isMember(ByteKey pubkey) {
        return identities.isPrivileged(pubkey) || follows.contains(pubkey);
    }

    private Decision managedWrite(Event e, ByteKey author, Set<ByteKey> authed, InetAddress ip) {
        Decision banned = bans(managed, e, author);
        if (!banned.allowed()) return banned;
        if (anyMatch(authed, managed::isBannedPubkey)) return Decision.blocked("your pubkey is banned");
        if (managed.isBlockedIp(ip)) return Decision.blocked("your IP address is blocked");
        if (identities.isPrivileged(author) || anyMatch(authed, identities::isPrivileged)) return Decision.ALLOW;
        if (!managed.isKindAllowed(e.kind())) return Decision.blocked("events of kind " + e.kind() + " are not accepted here");
        if (!managed.hasAllowList() || managed.isAllowedPubkey(author) || anyMatch(authed, managed::isAllowedPubkey)) {
            return Decision.ALLOW;
        }
        return notPermitted(authed, "only allowed pubkeys may write here");
    }

    /** NIP-86 bans of the event itself or of its author. */
    private static Decision bans(ManagedState managed, Event e, ByteKey author) {
        if (managed.isBannedEvent(ByteKey.of(e.id()))) return Decision.blocked("this event is banned");
        if (managed.isBannedPubkey(author)) return Decision.blocked("the author of this event is banned");
        return Decision.ALLOW;
    }

    /**
     * What an import may not bring into the store. An import is an operator's act, as if an owner published
     * every event: no auth, allow list, kind rule or NIP-70 check applies (an operator restoring the relay's own
     * export gets its protected events back). NIP-86 bans hold, so an archive cannot restore a banned event or
     * the events of a banned author.
     */
    public ImportPolicy importPolicy() {
        return mode == AclMode.MANAGED ? importBans(managed) : ImportPolicy.ADMIT_ALL;
    }

    /** Managed mode's import policy over {@code managed}, whose decisions it reads as they change. */
    static ImportPolicy importBans(ManagedState managed) {
        return e -> bans(managed, e, ByteKey.of(e.pubkey())) instanceof Decision.Deny d ? d.message() : null;
    }

    private static boolean anyMatch(Set<ByteKey> keys, java.util.function.Predicate<ByteKey> p) {
        for (ByteKey k : keys) if (p.test(k)) return true; // one or two keys: no stream
        return false;
    }

    private static Decision notPermitted(Set<ByteKey> authed, String why) {
        return authed.isEmpty() ? Decision.authRequired(why) : Decision.restricted(why);
    }
}
