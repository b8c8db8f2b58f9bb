package dev.tern.blob;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Mirrors reach public addresses only, unless the operator allows the rest. */
class MirrorAddressesTest {
    static String kind(String literal) throws Exception {
        return MirrorAddresses.nonPublic(InetAddress.getByName(literal));
    }

    @Test
    void nonPublicAddressesAreNamed() throws Exception {
        assertEquals("loopback", kind("127.0.0.1"));
        assertEquals("loopback", kind("127.8.9.10"));
        assertEquals("loopback", kind("::1"));
        assertEquals("loopback", kind("::ffff:127.0.0.1"));
        assertEquals("loopback", kind("::127.0.0.1"));
        assertEquals("unspecified", kind("0.0.0.0"));
        assertEquals("unspecified", kind("::"));
        assertEquals("private", kind("10.1.2.3"));
        assertEquals("private", kind("172.16.0.1"));
        assertEquals("private", kind("172.31.255.255"));
        assertEquals("private", kind("192.168.1.1"));
        assertEquals("private", kind("100.64.0.1"));
        assertEquals("private", kind("::ffff:10.0.0.1"));
        assertEquals("link-local", kind("169.254.169.254"));
        assertEquals("link-local", kind("fe80::1"));
        assertEquals("unique-local", kind("fd00::1"));
        assertEquals("unique-local", kind("fc12:3456::1"));
        assertEquals("multicast", kind("224.0.0.1"));
        assertEquals("multicast", kind("ff02::1"));
        assertEquals("reserved", kind("255.255.255.255"));
    }

    @Test
    void publicAddressesPass() throws Exception {
        for (String a : new String[] {"1.1.1.1", "8.8.8.8", "172.32.0.1", "100.128.0.1", "192.169.0.1", "2606:4700::1111", "2001:db9::1"}) {
            assertEquals(null, kind(a), a);
        }
    }
}
