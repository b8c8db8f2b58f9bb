package dev.tern.acl;

import dev.tern.event.ByteKey;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** An immutable set of address blocks: single addresses in a hash set, wider blocks scanned (there are few). */
public final class CidrSet {
    public static final CidrSet EMPTY = new CidrSet(List.of());

    private final Set<ByteKey> addresses = new HashSet<>();
    private final List<Cidr> blocks = new ArrayList<>();

    public CidrSet(Collection<Cidr> cidrs) {
        for (Cidr c : cidrs) {
            if (c.isSingleAddress()) addresses.add(ByteKey.of(c.network()));
            else blocks.add(c);
        }
    }

    /** Parses a comma-separated list; {@code name} (e.g. TERN_IP_DENY) prefixes the error for a bad entry. */
    public static CidrSet parse(String name, String list) {
        List<Cidr> cidrs = new ArrayList<>();
        if (list != null) {
            for (String entry : list.split(",")) {
                if (entry.isBlank()) continue;
                try {
                    cidrs.add(Cidr.parse(entry));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
                }
            }
        }
        return new CidrSet(cidrs);
    }

    public boolean isEmpty() {
        return addresses.isEmpty() && blocks.isEmpty();
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (addresses.contains(ByteKey.of(a))) return true;
        for (Cidr c : blocks) if (c.contains(a)) return true;
        return false;
    }
}
