package dev.tern.acl;

import dev.tern.event.ByteKey;
import dev.tern.event.Hex;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;

/**
 * What the operator decided through NIP-86 in managed mode: banned and allowed pubkeys, banned events,
 * allowed kinds, blocked IPs (addresses or CIDR blocks) and NIP-11 overrides of the relay's name,
 * description and icon. Each list persists in the store's meta values (every change is
 * written through the {@link MetaWriter} it is given) and applies at once; reads
 * never lock.
 */
public final class ManagedState {
    private final PersistedMap<ByteKey> bannedPubkeys;
    private final PersistedMap<ByteKey> allowedPubkeys;
    private final PersistedMap<ByteKey> bannedEvents;
    private final PersistedMap<Integer> allowedKinds;
    private final PersistedMap<Integer> disallowedKinds;
    private final PersistedMap<Cidr> blockedIps;
    private final PersistedMap<String> relayInfo;
    private volatile CidrSet blockedIpSet;

    /** Loads the persisted decisions; each list holds at most {@code maxEntries}. */
    public ManagedState(MetaStore meta, int maxEntries) {
        if (maxEntries < 1) throw new IllegalArgumentException("TERN_ACL_MAX_ENTRIES must be at least 1, got " + maxEntries);
        bannedPubkeys = keys(meta, "acl.banned-pubkeys", "banned pubkeys", maxEntries);
        allowedPubkeys = keys(meta, "acl.allowed-pubkeys", "allowed pubkeys", maxEntries);
        bannedEvents = keys(meta, "acl.banned-events", "banned events", maxEntries);
        allowedKinds = new PersistedMap<>(meta, "acl.allowed-kinds", "allowed kinds", maxEntries,
                String::valueOf, ManagedState::parseKind);
        disallowedKinds = new PersistedMap<>(meta, "acl.disallowed-kinds", "disallowed kinds", maxEntries,
                String::valueOf, ManagedState::parseKind);
        blockedIps = new PersistedMap<>(meta, "acl.blocked-ips", "blocked IPs", maxEntries, Cidr::toString, Cidr::parse);
        relayInfo = new PersistedMap<>(meta, "acl.relay-info", "relay information", 3, s -> s, s -> s);
        blockedIpSet = new CidrSet(blockedIps.entries().keySet());
    }

    private static PersistedMap<ByteKey> keys(MetaStore meta, String key, String label, int max) {
        return new PersistedMap<>(meta, key, label, max, ByteKey::toString, ManagedState::parseHexKey);
    }

    static ByteKey parseHexKey(String s) {
        byte[] b = Hex.decodeLower(s, 32);
        if (b == null) throw new IllegalArgumentException("'" + s + "' is not 64 lowercase hex characters");
        return ByteKey.of(b);
    }

    static int parseKind(String s) {
        try {
            int k = Integer.parseInt(s);
            if (k >= 0 && k <= 65535) return k;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + s + "' is not a kind (0..65535)");
    }

    // ---- reads, on the write path of every event

    public boolean isBannedPubkey(ByteKey pubkey) { return pubkey != null && bannedPubkeys.contains(pubkey); }

    /** True when an allow list is in force (it has at least one entry). */
    public boolean hasAllowList() { return !allowedPubkeys.isEmpty(); }

    public boolean isAllowedPubkey(ByteKey pubkey) { return pubkey != null && allowedPubkeys.contains(pubkey); }

    public boolean isBannedEvent(ByteKey id) { return bannedEvents.contains(id); }

    /** True unless {@code kind} was disallowed, or kinds were allowed and it is not one of them. */
    public boolean isKindAllowed(int kind) {
        return !disallowedKinds.contains(kind) && (allowedKinds.isEmpty() || allowedKinds.contains(kind));
    }

    public boolean isBlockedIp(InetAddress ip) { return ip != null && blockedIpSet.contains(ip); }

    public Optional<String> relayName() { return Optional.ofNullable(relayInfo.get("name")); }

    public Optional<String> relayDescription() { return Optional.ofNullable(relayInfo.get("description")); }

    public Optional<String> relayIcon() { return Optional.ofNullable(relayInfo.get("icon")); }

    public Map<ByteKey, String> bannedPubkeys() { return bannedPubkeys.entries(); }

    public Map<ByteKey, String> allowedPubkeys() { return allowedPubkeys.entries(); }

    public Map<ByteKey, String> bannedEvents() { return bannedEvents.entries(); }

    public Iterable<Integer> allowedKinds() { return allowedKinds.entries().keySet(); }

    public Iterable<Integer> disallowedKinds() { return disallowedKinds.entries().keySet(); }

    public Map<Cidr, String> blockedIps() { return blockedIps.entries(); }

    // ---- changes, from NIP-86, written through {@code to}

    public void banPubkey(MetaWriter to, ByteKey pubkey, String reason) { bannedPubkeys.put(to, pubkey, reason); }

    public void unbanPubkey(MetaWriter to, ByteKey pubkey) { bannedPubkeys.remove(to, pubkey); }

    public void allowPubkey(MetaWriter to, ByteKey pubkey, String reason) { allowedPubkeys.put(to, pubkey, reason); }

    public void unallowPubkey(MetaWriter to, ByteKey pubkey) { allowedPubkeys.remove(to, pubkey); }

    public void banEvent(MetaWriter to, ByteKey id, String reason) { bannedEvents.put(to, id, reason); }

    /** Lifts a ban; the event was deleted when banned, so it may be published again. */
    public void allowEvent(MetaWriter to, ByteKey id) { bannedEvents.remove(to, id); }

    /**
     * NIP-86 names allowkind and disallowkind but not their semantics. Here they are opposites that
     * each undo the other: once any kind is allowed only allowed kinds are accepted, and a disallowed
     * kind is refused even when no kind is allowed (so an open relay can shut out one kind).
     */
    public synchronized void allowKind(MetaWriter to, int kind) {
        disallowedKinds.remove(to, kind);
        allowedKinds.put(to, kind, "");
    }

    public synchronized void disallowKind(MetaWriter to, int kind) {
        allowedKinds.remove(to, kind);
        disallowedKinds.put(to, kind, "");
    }

    public synchronized void blockIp(MetaWriter to, Cidr block, String reason) {
        blockedIps.put(to, block, reason);
        blockedIpSet = new CidrSet(blockedIps.entries().keySet());
    }

    public synchronized void unblockIp(MetaWriter to, Cidr block) {
        blockedIps.remove(to, block);
        blockedIpSet = new CidrSet(blockedIps.entries().keySet());
    }

    public void setRelayName(MetaWriter to, String name) { relayInfo.put(to, "name", name); }

    public void setRelayDescription(MetaWriter to, String description) { relayInfo.put(to, "description", description); }

    public void setRelayIcon(MetaWriter to, String url) { relayInfo.put(to, "icon", url); }
}
