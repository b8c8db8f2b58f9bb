package dev.tern.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class IpRulesTest {
    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void cidrMatchesIpv4AndIpv6Blocks() throws Exception {
        Cidr v4 = Cidr.parse("10.1.2.3/8");
        assertEquals("10.0.0.0/8", v4.toString());
        assertTrue(v4.contains(ip("10.255.0.1")));
        assertFalse(v4.contains(ip("11.0.0.1")));
        assertFalse(v4.contains(ip("::a01:203")));
        Cidr odd = Cidr.parse("192.168.1.128/25");
        assertTrue(odd.contains(ip("192.168.1.200")));
        assertFalse(odd.contains(ip("192.168.1.127")));
        Cidr v6 = Cidr.parse("2001:db8::/32");
        assertTrue(v6.contains(ip("2001:db8:ffff::1")));
        assertFalse(v6.contains(ip("2001:db9::1")));
        assertTrue(Cidr.parse("0.0.0.0/0").contains(ip("8.8.8.8")));
        assertTrue(Cidr.parse("1.2.3.4").isSingleAddress());
    }

    @Test
    void ipv4MappedIpv6IsIpv4() throws Exception {
        assertEquals(Cidr.parse("1.2.3.4"), Cidr.parse("::ffff:1.2.3.4"));
        assertTrue(Cidr.parse("1.2.3.0/24").contains(ip("::ffff:1.2.3.9")));
    }

    @Test
    void badTextIsRefusedWithoutALookup() {
        for (String bad : new String[] {"localhost", "1.2.3", "256.1.1.1", "1.2.3.4/33", "1.2.3.4/", "::1/129", "1.2.3.4/-1", "a.b.c.d", ""}) {
            assertThrows(IllegalArgumentException.class, () -> Cidr.parse(bad), bad);
        }
        var e = assertThrows(IllegalArgumentException.class, () -> IpRules.parse("10.0.0.0/8,example.com", ""));
        assertEquals("TERN_IP_ALLOW: 'example.com' is not an IP address or CIDR block", e.getMessage());
    }

    @Test
    void denyWinsAndAnAllowListAdmitsOnlyItsMembers() throws Exception {
        IpRules rules = IpRules.parse("10.0.0.0/8, ::1", "10.9.9.9");
        assertTrue(rules.check(ip("10.1.1.1")).allowed());
        assertTrue(rules.check(ip("::1")).allowed());
        assertEquals(new Decision.Deny("blocked: your IP address is denied by this relay"), rules.check(ip("10.9.9.9")));
        assertEquals(new Decision.Deny("blocked: your IP address is not on this relay's allow list"), rules.check(ip("192.168.0.1")));
        assertTrue(IpRules.parse("", "").check(ip("192.168.0.1")).allowed());
        assertFalse(IpRules.parse("", "192.168.0.0/16").check(ip("192.168.0.1")).allowed());
    }
}
