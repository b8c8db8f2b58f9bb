package dev.tern.blob;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Which addresses a BUD-04 mirror may fetch from. By default only public ones: a mirror URL naming the relay's
 * own machine or network (loopback, private, link-local such as a cloud's metadata service, unique-local,
 * multicast) would let anyone with an upload token make the relay fetch from where it alone can reach.
 */
final class MirrorAddresses {
    private MirrorAddresses() {}

    /** What kind of non-public address {@code a} is, or null for a public one. */
    static String nonPublic(InetAddress a) {
        if (a.isLoopbackAddress()) return "loopback";
        if (a.isAnyLocalAddress()) return "unspecified";
        if (a.isLinkLocalAddress()) return "link-local";
        if (a.isSiteLocalAddress()) return "private";
        if (a.isMulticastAddress()) return "multicast";
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff, second = b[1] & 0xff;
            if (first == 0) return "unspecified";                       // 0.0.0.0/8, "this network"
            if (first == 100 && (second & 0xc0) == 64) return "private"; // 100.64.0.0/10, carrier-grade NAT (RFC 6598)
            if (first == 198 && (second & 0xfe) == 18) return "private"; // 198.18.0.0/15, benchmarking (RFC 2544)
            if (first >= 240) return "reserved";                        // 240.0.0.0/4 and the broadcast address
            return null;
        }
        if (a instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) return "unique-local";           // fc00::/7 (RFC 4193)
            if (embedsIpv4(b)) {
                try {
                    return nonPublic(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e); // four bytes are always an address
                }
            }
        }
        return null;
    }

    /** ::a.b.c.d (IPv4-compatible) and ::ffff:a.b.c.d (mapped, when not already turned into an IPv4 address). */
    private static boolean embedsIpv4(byte[] b) {
        for (int i = 0; i < 10; i++) if (b[i] != 0) return false;
        return b[10] == b[11] && (b[10] == 0 || b[10] == (byte) 0xff);
    }
}
