package dev.tern.acl;

import static dev.tern.acl.FollowSetTest.contacts;
import static dev.tern.acl.FollowSetTest.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.ByteKey;
import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import dev.tern.ingest.ImportPolicy;
import java.net.InetAddress;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AclPolicyTest {
    private final Random random = new Random(11);
    private final KeyPair owner = KeyPair.generate(random);
    private final KeyPair friend = KeyPair.generate(random);
    private final KeyPair stranger = KeyPair.generate(random);
    private final Identities ids = new Identities(Set.of(key(owner)), Set.of());
    private final InetAddress ip = InetAddress.getLoopbackAddress();

    private static Event note(KeyPair k) {
        return Signer.sign(k, 1000, 1, List.of(), "hi");
    }

    private static Decision.Deny deny(String message) {
        return new Decision.Deny(message);
    }

    @Test
    void noneModeAdmitsEveryoneButHonoursNip70() {
        AclPolicy p = new AclPolicy(AclMode.NONE, ids, null, null, IpRules.OPEN);
        assertEquals(Decision.ALLOW, p.canWrite(note(stranger), Set.of(), ip));
        Event protectedNote = Signer.sign(stranger, 1, 1, List.of(List.of("-")), "mine");
        assertEquals(deny("auth-required: this event is protected (NIP-70): only its author may publish it"),
                p.canWrite(protectedNote, Set.of(), ip));
        assertEquals(deny("restricted: this event is protected (NIP-70): only its author may publish it"),
                p.canWrite(protectedNote, Set.of(key(friend)), ip));
        assertEquals(Decision.ALLOW, p.canWrite(protectedNote, Set.of(key(stranger)), ip));
    }

    @Test
    void followsModeAdmitsOwnersAndTheirFollowsByAuthorOrAuthenticatedKey() {
        FollowSet follows = new FollowSet(ids, 100);
        AclPolicy p = new AclPolicy(AclMode.FOLLOWS, ids, follows, null, IpRules.OPEN);
        assertEquals(Decision.ALLOW, p.canWrite(note(owner), Set.of(), ip));
        assertEquals(deny("auth-required: only the relay owners' follows may write here"), p.canWrite(note(friend), Set.of(), ip));
        follows.accept(contacts(owner, 1, key(friend)));
        assertEquals(Decision.ALLOW, p.canWrite(note(friend), Set.of(), ip));
        assertEquals(Decision.ALLOW, p.canWrite(note(stranger), Set.of(key(friend)), ip), "an authenticated member may republish");
        assertEquals(deny("restricted: only the relay owners' follows may write here"), p.canWrite(note(stranger), Set.of(key(stranger)), ip));
        follows.accept(contacts(owner, 2));
        assertEquals(deny("auth-required: only the relay owners' follows may write here"), p.canWrite(note(friend), Set.of(), ip));
    }

    @Test
    void managedModeAppliesBansAllowListKindsAndBlockedIps() throws Exception {
        MemoryMetaStore meta = new MemoryMetaStore();
        ManagedState m = new ManagedState(meta, 100);
        AclPolicy p = new AclPolicy(AclMode.MANAGED, ids, null, m, IpRules.OPEN);
        Event n = note(stranger);
        assertEquals(Decision.ALLOW, p.canWrite(n, Set.of(), ip), "no allow list: open");

        m.allowPubkey(meta, key(friend), "");
        assertEquals(deny("auth-required: only allowed pubkeys may write here"), p.canWrite(n, Set.of(), ip));
        assertEquals(deny("restricted: only allowed pubkeys may write here"), p.canWrite(n, Set.of(key(stranger)), ip));
        assertEquals(Decision.ALLOW, p.canWrite(note(friend), Set.of(), ip));
        assertEquals(Decision.ALLOW, p.canWrite(n, Set.of(key(friend)), ip));
        assertEquals(Decision.ALLOW, p.canWrite(n, Set.of(key(owner)), ip), "owners are always allowed");

        m.disallowKind(meta, 1);
        assertEquals(deny("blocked: events of kind 1 are not accepted here"), p.canWrite(note(friend), Set.of(), ip));
        assertEquals(Decision.ALLOW, p.canWrite(note(owner), Set.of(), ip), "owners are exempt from kind rules");
        m.allowKind(meta, 1);

        m.banPubkey(meta, key(friend), "spam");
        assertEquals(deny("blocked: the author of this event is banned"), p.canWrite(note(friend), Set.of(), ip));
        assertEquals(deny("blocked: your pubkey is banned"), p.canWrite(note(owner), Set.of(key(friend)), ip));

        Event o = note(owner);
        m.banEvent(meta, ByteKey.of(o.id()), "");
        assertEquals(deny("blocked: this event is banned"), p.canWrite(o, Set.of(), ip));

        InetAddress bad = InetAddress.getByName("192.0.2.7");
        m.blockIp(meta, Cidr.parse("192.0.2.0/24"), "");
        assertEquals(deny("blocked: your IP address is blocked"), p.canConnect(bad));
        assertEquals(deny("blocked: your IP address is blocked"), p.canWrite(Signer.sign(owner, 2000, 1, List.of(), "another"), Set.of(), bad));
        assertEquals(Decision.ALLOW, p.canConnect(ip));
    }

    @Test
    void importsKeepManagedModeBansOnlyAndSeeThemChange() {
        MemoryMetaStore meta = new MemoryMetaStore();
        ManagedState m = new ManagedState(meta, 100);
        ImportPolicy imports = new AclPolicy(AclMode.MANAGED, ids, null, m, IpRules.OPEN).importPolicy();
        m.allowPubkey(meta, key(friend), "");
        m.disallowKind(meta, 7);
        Event protectedNote = Signer.sign(stranger, 1, 1, List.of(List.of("-")), "mine");
        Event reaction = Signer.sign(stranger, 1, 7, List.of(), "+");
        assertNull(imports.refusal(note(stranger)), "an import is the operator's: the allow list does not apply");
        assertNull(imports.refusal(reaction), "nor do kind rules");
        assertNull(imports.refusal(protectedNote), "nor NIP-70: a restored export keeps its protected events");

        m.banPubkey(meta, key(stranger), "spam");
        assertEquals("blocked: the author of this event is banned", imports.refusal(note(stranger)));
        Event o = note(owner);
        m.banEvent(meta, ByteKey.of(o.id()), "");
        assertEquals("blocked: this event is banned", imports.refusal(o));
        m.unbanPubkey(meta, key(stranger));
        assertNull(imports.refusal(note(stranger)));
    }

    @Test
    void importsOutsideManagedModeAdmitEverything() {
        FollowSet follows = new FollowSet(ids, 100);
        for (AclPolicy p : List.of(new AclPolicy(AclMode.NONE, ids, null, null, IpRules.OPEN),
                new AclPolicy(AclMode.FOLLOWS, ids, follows, null, IpRules.OPEN))) {
            assertEquals(ImportPolicy.ADMIT_ALL, p.importPolicy(), p.mode().name());
        }
    }

    @Test
    void withSeveralAuthenticatedKeysOneMemberAdmitsAndOneBanBlocks() {
        MemoryMetaStore meta = new MemoryMetaStore();
        ManagedState m = new ManagedState(meta, 100);
        AclPolicy p = new AclPolicy(AclMode.MANAGED, ids, null, m, IpRules.OPEN);
        m.allowPubkey(meta, key(friend), "");
        assertEquals(Decision.ALLOW, p.canWrite(note(stranger), Set.of(key(stranger), key(friend)), ip));
        m.banPubkey(meta, key(stranger), "");
        assertEquals(deny("blocked: your pubkey is banned"), p.canWrite(note(friend), Set.of(key(stranger), key(friend)), ip));
    }

    @Test
    void staticIpRulesApplyAtConnect() throws Exception {
        AclPolicy p = new AclPolicy(AclMode.NONE, ids, null, null, IpRules.parse("", "127.0.0.0/8"));
        assertTrue(p.canConnect(InetAddress.getByName("127.0.0.2")) instanceof Decision.Deny d && d.message().startsWith("blocked: "));
        assertEquals(Decision.ALLOW, p.canConnect(InetAddress.getByName("10.0.0.1")));
    }
}
