package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.acl.AclMode;
import dev.tern.acl.AclPolicy;
import dev.tern.acl.Decision;
import dev.tern.acl.DmPrivacy;
import dev.tern.acl.FollowSet;
import dev.tern.acl.ProofOfWork;
import dev.tern.acl.Identities;
import dev.tern.acl.IpRateLimiter;
import dev.tern.acl.IpRules;
import dev.tern.event.ByteKey;
import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import dev.tern.filter.Filter;
import java.net.InetAddress;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The relay's admission decisions, each with its NIP-01 prefix, in the order they are asked. */
class AdmissionTest {
    private static final long NOW = 1_700_000_000L;
    private final KeyPair alice = KeyPair.generate(new Random(1));
    private final InetAddress ip = InetAddress.getLoopbackAddress();

    private static Admission admission(UnaryOperator<RelayLimits> limits, AuthMode auth, IpRules rules, int ipConnectionsPerMinute) {
        AclPolicy open = new AclPolicy(AclMode.NONE, Identities.NONE, null, null, rules);
        IpRateLimiter ipRates = new IpRateLimiter(ipConnectionsPerMinute, 0, 1024, () -> 0L); // frozen: no refill
        return new Admission(limits.apply(TestRelay.limits()), auth, open, ipRates, DmPrivacy.DEFAULT, "127.0.0.1", ProofOfWork.OFF);
    }

    private static RelayLimits with(RelayLimits d, int maxTags, int maxConnectionsPerIp, double eventsPerSecond, int burst) {
        return new RelayLimits(d.maxMessageBytes(), d.maxSubscriptions(), d.maxFilters(), d.maxFilterValues(), d.maxLimit(), d.defaultLimit(),
                maxTags, d.maxContentLength(), d.createdAtLowerLimit(), d.createdAtUpperLimit(), maxConnectionsPerIp, eventsPerSecond,
                burst, d.maxEventsInFlight(), d.outboundBufferBytes(), d.slowConsumerGraceMillis());
    }

    private Event note(long createdAt, int tags) {
        List<List<String>> t = java.util.stream.IntStream.range(0, tags).mapToObj(i -> List.of("t", "x" + i)).toList();
        return Signer.sign(alice, createdAt, 1, t, "hello");
    }

    @Test
    void publishChecksLimitsThenTheConnectionRateThenAuth() {
        Admission a = admission(d -> with(d, 2, 8, 1, 2), AuthMode.NONE, IpRules.OPEN, 0);
        Admission.Peer peer = a.peer(ip);
        assertEquals(new Decision.Deny("invalid: too many tags (max 2)"), a.publish(note(NOW, 3), peer, NOW));
        assertEquals(new Decision.Deny("invalid: created_at is more than 900 seconds in the future"), a.publish(note(NOW + 901, 0), peer, NOW));
        assertEquals(new Decision.Deny("invalid: kind 22242 events belong in AUTH messages (NIP-42)"),
                a.publish(Signer.sign(alice, NOW, AuthVerifier.AUTH_KIND, List.of(), ""), peer, NOW));
        assertEquals(Decision.ALLOW, a.publish(note(NOW, 0), peer, NOW));
        assertEquals(Decision.ALLOW, a.publish(note(NOW, 1), peer, NOW));
        assertEquals(new Decision.Deny("rate-limited: slow down, at most 1.0 events per second"), a.publish(note(NOW, 2), peer, NOW),
                "the burst of 2 is spent; refused messages took no token");
        assertEquals(Decision.ALLOW, a.publish(note(NOW, 0), a.peer(ip), NOW), "each connection has its own bucket");

        Admission writeAuth = admission(d -> d, AuthMode.WRITE, IpRules.OPEN, 0);
        Admission.Peer anonymous = writeAuth.peer(ip);
        assertEquals(new Decision.Deny("auth-required: this relay accepts events from authenticated clients only"),
                writeAuth.publish(note(NOW, 0), anonymous, NOW));
        anonymous.authenticated.add(ByteKey.of(alice.publicKey()));
        assertEquals(Decision.ALLOW, writeAuth.publish(note(NOW, 0), anonymous, NOW));
    }

    /**
     * A connection authenticated (NIP-42) with an admin's key is exempt from the connection's and the address's event
     * rates, the operator's own sync; an anonymous connection sending the admin's signed events, and one authenticated
     * with another key, are not.
     */
    @Test
    void anAdminAuthenticatedConnectionIsExemptFromTheEventRatesAndNoOneElse() {
        KeyPair admin = KeyPair.generate(new Random(2));
        AclPolicy policy = new AclPolicy(AclMode.NONE, new Identities(Set.of(), Set.of(ByteKey.of(admin.publicKey()))), null, null,
                IpRules.OPEN);
        IpRateLimiter ipRates = new IpRateLimiter(0, 3, 1024, () -> 0L); // 3 events per address, frozen: no refill
        Admission a = new Admission(with(TestRelay.limits(), 100, 8, 1, 2), AuthMode.NONE, policy, ipRates, DmPrivacy.DEFAULT,
                "127.0.0.1", ProofOfWork.OFF);
        Admission.Peer operator = a.peer(ip);
        operator.authenticated.add(ByteKey.of(admin.publicKey()));
        for (int i = 0; i < 10; i++) {
            assertEquals(Decision.ALLOW, a.publish(Signer.sign(admin, NOW, 1, List.of(), "sync " + i), operator, NOW), "event " + i);
        }
        Admission.Peer anonymous = a.peer(ip);
        assertEquals(Decision.ALLOW, a.publish(Signer.sign(admin, NOW, 1, List.of(), "replayed 0"), anonymous, NOW));
        assertEquals(Decision.ALLOW, a.publish(Signer.sign(admin, NOW, 1, List.of(), "replayed 1"), anonymous, NOW));
        assertEquals(new Decision.Deny("rate-limited: slow down, at most 1.0 events per second"),
                a.publish(Signer.sign(admin, NOW, 1, List.of(), "replayed 2"), anonymous, NOW), "the admin's events, not its AUTH");
        Admission.Peer someone = a.peer(ip);
        someone.authenticated.add(ByteKey.of(alice.publicKey()));
        assertEquals(Decision.ALLOW, a.publish(note(NOW, 0), someone, NOW));
        assertInstanceOf(Decision.Deny.class, a.publish(note(NOW, 1), someone, NOW), "the address's 3 events are spent");
    }

    @Test
    void readIsDecidedPerFilterWithTheAuthenticatedKeys() {
        List<Filter> filters = List.of(Filter.ALL, new Filter(null, null, Set.of(1), null, null, null, 10));
        assertEquals(Decision.ALLOW, admission(d -> d, AuthMode.WRITE, IpRules.OPEN, 0).read(Filter.ALL, Set.of()));
        Admission all = admission(d -> d, AuthMode.ALL, IpRules.OPEN, 0);
        Admission.Peer peer = all.peer(ip);
        assertEquals(new Admission.Read.Refuse(new Decision.Deny("auth-required: this relay serves authenticated clients only")),
                all.read(filters, peer));
        peer.authenticated.add(ByteKey.of(alice.publicKey()));
        assertEquals(filters, assertInstanceOf(Admission.Read.Serve.class, all.read(filters, peer)).filters());
    }

    /** NIP-17/59/04: a filter only for private kinds needs AUTH; the REQ serves its other filters, or is refused whole. */
    @Test
    void privateMessagesAreReadAfterAuthAndAMixedReadServesTheRest() {
        Admission open = admission(d -> d, AuthMode.NONE, IpRules.OPEN, 0);
        Admission.Peer peer = open.peer(ip);
        Filter wraps = new Filter(null, null, Set.of(1059), null, null, null, null);
        Filter notes = new Filter(null, null, Set.of(1), null, null, null, null);
        Filter notesAndDms = new Filter(null, null, Set.of(1, 4), null, null, null, null);
        var refused = assertInstanceOf(Admission.Read.Refuse.class, open.read(List.of(wraps), peer));
        assertTrue(refused.refusal().message().startsWith("auth-required: "), refused.toString());
        var mixed = assertInstanceOf(Admission.Read.Serve.class, open.read(List.of(wraps, notesAndDms), peer));
        assertEquals(List.of(notes), mixed.filters());
        peer.authenticated.add(ByteKey.of(alice.publicKey()));
        var authed = assertInstanceOf(Admission.Read.Serve.class, open.read(List.of(wraps), peer));
        assertEquals(Set.of(alice.publicKeyHex()), authed.filters().get(0).tags().get('p'));
    }

    /** NIP-62: a relay that restricts who can post follows a request to vanish naming it regardless of the user's status. */
    @Test
    void aRequestToVanishNamingThisRelayPassesTheWritePolicy() {
        AclPolicy followsOnly = new AclPolicy(AclMode.FOLLOWS, Identities.NONE, new FollowSet(Identities.NONE, 16), null, IpRules.OPEN);
        Admission members = new Admission(TestRelay.limits(), AuthMode.NONE, followsOnly, new IpRateLimiter(0, 0, 1024, () -> 0L),
                DmPrivacy.DEFAULT, "127.0.0.1", ProofOfWork.OFF);
        Admission.Peer peer = members.peer(ip);
        Event note = Signer.sign(alice, NOW, 1, List.of(), "not a member");
        Event vanish = Signer.sign(alice, NOW, 62, List.of(List.of("relay", "ws://127.0.0.1:3334")), "");
        Event elsewhere = Signer.sign(alice, NOW, 62, List.of(List.of("relay", "wss://elsewhere.example")), "");
        assertInstanceOf(Decision.Deny.class, members.publish(note, peer, NOW));
        assertEquals(Decision.ALLOW, members.publish(vanish, peer, NOW));
        assertInstanceOf(Decision.Deny.class, members.publish(elsewhere, peer, NOW));
    }

    @Test
    void connectChecksRulesThenTheRateThenOpenConnections() throws Exception {
        Admission denied = admission(d -> d, AuthMode.NONE, IpRules.parse("", "127.0.0.0/8"), 0);
        assertEquals(new Decision.Deny("blocked: your IP address is denied by this relay"), denied.connect(ip));

        Admission a = admission(d -> with(d, d.maxEventTags(), 2, 0, 0), AuthMode.NONE, IpRules.OPEN, 3);
        assertEquals(Decision.ALLOW, a.connect(ip));
        assertEquals(Decision.ALLOW, a.connect(ip));
        assertEquals(new Decision.Deny("rate-limited: too many connections from your address (max 2)"), a.connect(ip));
        a.disconnected(ip);
        assertEquals(new Decision.Deny("rate-limited: more than 3 connections per minute from your address"), a.connect(ip),
                "the refused third connection spent the address's last token");
        InetAddress other = InetAddress.getByName("10.0.0.1");
        assertEquals(Decision.ALLOW, a.connect(other));
    }
}
