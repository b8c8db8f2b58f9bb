package dev.tern.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.ByteKey;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ManagedStateTest {
    private static final ByteKey A = key(1), B = key(2);

    static ByteKey key(int b) {
        byte[] k = new byte[32];
        k[31] = (byte) b;
        return ByteKey.of(k);
    }

    @Test
    void everyDecisionSurvivesAReload() throws Exception {
        MemoryMetaStore meta = new MemoryMetaStore();
        ManagedState s = new ManagedState(meta, 100);
        s.banPubkey(meta, A, "spam \"quoted\" ✓");
        s.allowPubkey(meta, B, "");
        s.banEvent(meta, A, "illegal");
        s.allowKind(meta, 1);
        s.disallowKind(meta, 4);
        s.blockIp(meta, Cidr.parse("10.0.0.0/8"), "botnet");
        s.setRelayName(meta, "tern test");
        s.setRelayDescription(meta, "a relay");
        s.setRelayIcon(meta, "https://example.com/i.png");

        ManagedState r = new ManagedState(meta, 100);
        assertEquals(Map.of(A, "spam \"quoted\" ✓"), r.bannedPubkeys());
        assertEquals(Map.of(B, ""), r.allowedPubkeys());
        assertTrue(r.isBannedEvent(A));
        assertEquals(List.of(1), list(r.allowedKinds()));
        assertEquals(List.of(4), list(r.disallowedKinds()));
        assertTrue(r.isBlockedIp(InetAddress.getByName("10.2.3.4")));
        assertEquals(Optional.of("tern test"), r.relayName());
        assertEquals(Optional.of("a relay"), r.relayDescription());
        assertEquals(Optional.of("https://example.com/i.png"), r.relayIcon());

        r.unbanPubkey(meta, A);
        r.unallowPubkey(meta, B);
        r.allowEvent(meta, A);
        r.unblockIp(meta, Cidr.parse("10.1.0.0/8"));
        ManagedState again = new ManagedState(meta, 100);
        assertTrue(again.bannedPubkeys().isEmpty() && again.allowedPubkeys().isEmpty() && again.bannedEvents().isEmpty());
        assertFalse(again.isBlockedIp(InetAddress.getByName("10.2.3.4")));
    }

    @Test
    void kindsAllowedAndDisallowedUndoEachOther() {
        MemoryMetaStore meta = new MemoryMetaStore();
        ManagedState s = new ManagedState(meta, 100);
        assertTrue(s.isKindAllowed(7));
        s.disallowKind(meta, 7);
        assertFalse(s.isKindAllowed(7));
        assertTrue(s.isKindAllowed(1), "disallowing one kind leaves the others open");
        s.allowKind(meta, 1);
        assertTrue(s.isKindAllowed(1));
        assertFalse(s.isKindAllowed(2), "once a kind is allowed only allowed kinds pass");
        s.allowKind(meta, 7);
        assertTrue(s.isKindAllowed(7));
        assertEquals(List.of(), list(s.disallowedKinds()));
    }

    @Test
    void listsAreBoundedAndCorruptionIsReported() {
        MemoryMetaStore meta = new MemoryMetaStore();
        ManagedState s = new ManagedState(meta, 1);
        s.banPubkey(meta, A, "");
        s.banPubkey(meta, A, "updated reason fits");
        var e = assertThrows(IllegalStateException.class, () -> s.banPubkey(meta, B, ""));
        assertTrue(e.getMessage().contains("banned pubkeys is full"), e.getMessage());

        meta.put("acl.allowed-pubkeys", "{\"xyz\":\"\"}".getBytes(StandardCharsets.UTF_8));
        e = assertThrows(IllegalStateException.class, () -> new ManagedState(meta, 1));
        assertTrue(e.getMessage().contains("allowed pubkeys") && e.getMessage().contains("xyz"), e.getMessage());
    }

    private static List<Integer> list(Iterable<Integer> it) {
        List<Integer> out = new java.util.ArrayList<>();
        it.forEach(out::add);
        return out;
    }
}
