package dev.tern.acl;

import java.net.InetAddress;

/**
 * Static IP allow and deny lists (TERN_IP_ALLOW, TERN_IP_DENY), checked when a connection is accepted.
 * Deny wins; a non-empty allow list admits only the addresses in it.
 */
public record IpRules(CidrSet allow, CidrSet deny) {
    public static final IpRules OPEN = new IpRules(CidrSet.EMPTY, CidrSet.EMPTY);

    public static IpRules parse(String allow, String deny) {
        return new IpRules(CidrSet.parse("TERN_IP_ALLOW", allow), CidrSet.parse("TERN_IP_DENY", deny));
    }

    public Decision check(InetAddress address) {
        if (deny.contains(address)) return Decision.blocked("your IP address is denied by this relay");
        if (!allow.isEmpty() && !allow.contains(address)) return Decision.blocked("your IP address is not on this relay's allow list");
        return Decision.ALLOW;
    }
}
