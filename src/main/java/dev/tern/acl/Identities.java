package dev.tern.acl;

import dev.tern.event.ByteKey;
import dev.tern.event.Nip19;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The relay's privileged keys: owners and admins (TERN_OWNERS, TERN_ADMINS). Both may write in every
 * mode, sign NIP-98 requests for the admin API and have their kind-3 follows admitted in follows mode;
 * the two roles differ only in name for now, so an operator can tell them apart in the configuration.
 */
public record Identities(Set<ByteKey> owners, Set<ByteKey> admins) {
    public static final Identities NONE = new Identities(Set.of(), Set.of());

    public Identities {
        owners = Set.copyOf(owners);
        admins = Set.copyOf(admins);
    }

    /** Parses two comma-separated lists of npub or hex pubkeys (NIP-19); throws with the offending entry named. */
    public static Identities parse(String owners, String admins) {
        return new Identities(parseList("TERN_OWNERS", owners), parseList("TERN_ADMINS", admins));
    }

    public boolean isPrivileged(ByteKey pubkey) {
        return pubkey != null && (owners.contains(pubkey) || admins.contains(pubkey));
    }

    /** True when no owner or admin is configured (the admin API then serves loopback clients only). */
    public boolean isEmpty() {
        return owners.isEmpty() && admins.isEmpty();
    }

    /** Owners and admins together, owners first. */
    public Set<ByteKey> all() {
        Set<ByteKey> all = new LinkedHashSet<>(owners);
        all.addAll(admins);
        return all;
    }

    static Set<ByteKey> parseList(String name, String list) {
        Set<ByteKey> keys = new LinkedHashSet<>();
        if (list == null || list.isBlank()) return keys;
        for (String raw : list.split(",")) {
            String entry = raw.trim();
            if (entry.isEmpty()) continue;
            keys.add(ByteKey.of(parseKey(name, entry)));
        }
        return keys;
    }

    private static byte[] parseKey(String name, String entry) {
        try {
            return Nip19.publicKeyFromNpubOrHex(entry);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": '" + entry + "' is not a public key (npub1... or 64 hex characters)", e);
        }
    }
}
