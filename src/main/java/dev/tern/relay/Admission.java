package dev.tern.relay;

import dev.tern.acl.AclPolicy;
import dev.tern.acl.Decision;
import dev.tern.acl.DmPrivacy;
import dev.tern.acl.ProofOfWork;
import dev.tern.acl.IpRateLimiter;
import dev.tern.acl.TokenBucket;
import dev.tern.event.ByteKey;
import dev.tern.event.Event;
import dev.tern.filter.Filter;
import dev.tern.store.VanishRequest;
import dev.tern.store.Visibility;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Every "may this client do that?" of the relay, answered in one place with a {@link Decision}: connect
 * (at TCP accept), publish (an EVENT, before its costly signature check) and read (each filter of a REQ
 * or COUNT). It combines the relay's limits, the NIP-42 auth mode, the per-connection and per-address
 * rates, and the access control policy (TERN_ACL_MODE, NIP-70). Thread-safe; per-connection state lives
 * in a {@link Peer}, confined to that connection's event loop.
 */
final class Admission {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final RelayLimits limits;
    private final AuthMode authMode;
    private final AclPolicy policy;
    private final IpRateLimiter ipRates;
    private final ConnectionLimiter openPerAddress;
    private final DmPrivacy privacy;
    private final String relayHost;
    private final ProofOfWork proofOfWork;

    /** {@code relayHost}: the host of the relay's URL, which NIP-62 requests to vanish name. */
    Admission(RelayLimits limits, AuthMode authMode, AclPolicy policy, IpRateLimiter ipRates, DmPrivacy privacy, String relayHost,
              ProofOfWork proofOfWork) {
        this.relayHost = relayHost;
        this.proofOfWork = proofOfWork;
        this.limits = limits;
        this.authMode = authMode;
        this.policy = policy;
        this.ipRates = ipRates;
        this.privacy = privacy;
        this.openPerAddress = new ConnectionLimiter(limits.maxConnectionsPerIp());
    }

    /** One connection as admission sees it: its address, the pubkeys it authenticated with (NIP-42), its EVENT rate. */
    static final class Peer {
        /** The client's address; null if the channel has no IP peer (then no per-address rule applies). */
        final InetAddress address;
        /** Pubkeys the connection proved with NIP-42 AUTH (several are allowed); empty if none. */
        final Set<ByteKey> authenticated = new HashSet<>(2);
        private final TokenBucket events;

        private Peer(InetAddress address, TokenBucket events) {
            this.address = address;
            this.events = events;
        }
    }

    /** The state of a new WebSocket connection from {@code address} (null if not an IP peer). */
    Peer peer(InetAddress address) {
        return new Peer(address, new TokenBucket(limits.eventsPerSecond(), NANOS_PER_SECOND, limits.eventBurst(), System.nanoTime()));
    }

    /**
     * A new TCP connection from {@code address}: the IP rules (and NIP-86 blocked IPs), then the per-address
     * connection rate, then the concurrent connections per address (a refused address spends nothing after
     * the rule that refused it). An allowed connection counts until {@link #disconnected}.
     */
    Decision connect(InetAddress address) {
        if (policy.canConnect(address) instanceof Decision.Deny d) return d;
        if (ipRates.tryConnect(address) instanceof Decision.Deny d) return d;
        if (!openPerAddress.tryAcquire(address)) {
            return Decision.rateLimited("too many connections from your address (max " + limits.maxConnectionsPerIp() + ")");
        }
        return Decision.ALLOW;
    }

    /** An allowed connection from {@code address} closed. */
    void disconnected(InetAddress address) {
        openPerAddress.release(address);
    }

    /**
     * May {@code peer} publish {@code e}? Asked before the signature is checked, so every rule here is cheap:
     * the message limits (NIP-11 limitation), the connection's token bucket, the auth mode (NIP-42), the
     * per-address event rate, then the access policy (TERN_ACL_MODE, NIP-70). A connection authenticated with an
     * owner's or admin's key (NIP-42) is exempt from both event rates: an operator syncing or restoring their own
     * relays (`tern sync` with TERN_SYNC_AUTH_KEY) is not a flood; every other rule still applies to it.
     */
    Decision publish(Event e, Peer peer, long nowSeconds) {
        if (e.kind() == AuthVerifier.AUTH_KIND) return Decision.invalid("kind 22242 events belong in AUTH messages (NIP-42)");
        boolean list = RelayLimits.isList(e.kind());
        if (!list && e.tags().size() > limits.maxEventTags()) return Decision.invalid("too many tags (max " + limits.maxEventTags() + ")");
        if (!list && e.content().length() > limits.maxContentLength()
                && e.content().codePointCount(0, e.content().length()) > limits.maxContentLength()) {
            return Decision.invalid("content is longer than " + limits.maxContentLength() + " characters");
        }
        if (limits.createdAtLowerLimit() > 0 && e.createdAt() < nowSeconds - limits.createdAtLowerLimit()) {
            return Decision.invalid("created_at is more than " + limits.createdAtLowerLimit() + " seconds in the past");
        }
        if (limits.createdAtUpperLimit() > 0 && e.createdAt() > nowSeconds + limits.createdAtUpperLimit()) {
            return Decision.invalid("created_at is more than " + limits.createdAtUpperLimit() + " seconds in the future");
        }
        boolean operator = policy.isPrivilegedConnection(peer.authenticated);
        if (!operator && !peer.events.tryTake(System.nanoTime())) {
            return Decision.rateLimited("slow down, at most " + limits.eventsPerSecond() + " events per second");
        }
        if (authMode.writeNeedsAuth() && peer.authenticated.isEmpty()) {
            return Decision.authRequired("this relay accepts events from authenticated clients only");
        }
        if (!operator && peer.address != null && ipRates.tryEvent(peer.address) instanceof Decision.Deny d) return d;
        // NIP-62: relays that restrict who can post MUST follow a request to vanish regardless of the user's status
        if (VanishRequest.namesRelay(e, relayHost)) return Decision.ALLOW;
        // NIP-13: the id's leading zero bits, committed in a nonce tag; owners and admins are exempt
        if (!policy.isPrivileged(e, peer.authenticated) && proofOfWork.check(e) instanceof Decision.Deny d) return d;
        return policy.canWrite(e, peer.authenticated, peer.address);
    }

    /** What a REQ or COUNT reads: refused with {@code refusal}, or {@code filters} through {@code visibility}. */
    sealed interface Read {
        record Serve(List<Filter> filters, Visibility visibility) implements Read {}

        record Refuse(Decision.Deny refusal) implements Read {}
    }

    /**
     * What a REQ or COUNT of {@code filters} from {@code peer} reads. A refused filter is left out and the
     * rest served (a REQ mixing private messages with other kinds serves the rest); the whole is refused,
     * with the first refusal, only when every filter is. The filters that are served are narrowed, and their
     * events shown, as the pubkeys the peer authenticated with allow (NIP-17/59/04, {@link DmPrivacy}).
     */
    Read read(List<Filter> filters, Peer peer) {
        List<Filter> served = new ArrayList<>(filters.size());
        Decision.Deny first = null;
        for (Filter f : filters) {
            switch (read(f, peer.authenticated)) {
                case Decision.Deny d -> first = first == null ? d : first;
                case Decision.Allow a -> served.add(privacy.narrowed(f, peer.authenticated));
            }
        }
        if (first != null && served.isEmpty()) return new Read.Refuse(first);
        return new Read.Serve(served, privacy.visibility(peer.authenticated));
    }

    /**
     * May a client authenticated as {@code authenticated} (NIP-42; empty if not) read what {@code filter}
     * asks for? Rules on reading go here, one after another, each judging the filter and the authenticated
     * pubkeys: the auth mode (NIP-42), then private messages (NIP-17/59/04), which a filter asking only for
     * them reads only after AUTH. The filter also selects the live events of a subscription, so a rule on the
     * filter holds for them too.
     */
    Decision read(Filter filter, Set<ByteKey> authenticated) {
        if (authMode.readNeedsAuth() && authenticated.isEmpty()) {
            return Decision.authRequired("this relay serves authenticated clients only");
        }
        return privacy.read(filter, authenticated);
    }
}
