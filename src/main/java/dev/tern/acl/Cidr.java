package dev.tern.acl;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 address block such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}; a bare address is
 * a block of one. Host bits below the prefix are cleared. IPv4-mapped IPv6 addresses ({@code ::ffff:a.b.c.d})
 * are IPv4, as Java reports the peers of a dual-stack socket. Parsing never does a DNS lookup.
 */
public record Cidr(byte[] network, int prefix) {

    public Cidr {
        network = mask(network.clone(), prefix);
    }

    /** Parses {@code address[/prefix]}; throws IllegalArgumentException naming the bad text. */
    public static Cidr parse(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        byte[] addr = parseAddress(slash < 0 ? s : s.substring(0, slash));
        if (addr == null) throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block");
        int bits = addr.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > bits) {
                throw new IllegalArgumentException("'" + text + "' has a bad prefix length (0.." + bits + ")");
            }
            prefix = Integer.parseInt(p);
        }
        return new Cidr(addr, prefix);
    }

    /** The address bytes of an IP literal (4 for IPv4, 16 for IPv6), or null if {@code s} is not one. Never looks up a name. */
    public static byte[] parseAddress(String s) {
        if (s.indexOf(':') >= 0) {
            if (!s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) return null;
            try {
                return InetAddress.getByName(s).getAddress(); // a literal with ':' is never looked up
            } catch (UnknownHostException e) {
                return null;
            }
        }
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) return null;
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) return null;
            int v = Integer.parseInt(p);
            if (v > 255) return null;
            out[i] = (byte) v;
        }
        return out;
    }

    public boolean isSingleAddress() {
        return prefix == network.length * 8;
    }

    public boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    boolean contains(byte[] addr) {
        if (addr.length != network.length) return false;
        int full = prefix / 8;
        for (int i = 0; i < full; i++) if (addr[i] != network[i]) return false;
        int rest = prefix % 8;
        if (rest == 0) return true;
        int m = 0xff << (8 - rest) & 0xff;
        return (addr[full] & m) == (network[full] & 0xff);
    }

    private static byte[] mask(byte[] addr, int prefix) {
        if (prefix < 0 || prefix > addr.length * 8) throw new IllegalArgumentException("bad prefix " + prefix);
        for (int bit = prefix; bit < addr.length * 8; bit++) addr[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        return addr;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && prefix == c.prefix && Arrays.equals(network, c.network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefix;
    }

    /** Canonical text: the address as Java prints it, then {@code /prefix} unless it is a single address. */
    @Override
    public String toString() {
        try {
            String a = InetAddress.getByAddress(network).getHostAddress();
            return isSingleAddress() ? a : a + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 4 or 16 bytes always form an address
        }
    }
}
