package dev.tern.relay;

import dev.tern.event.EventJson;
import dev.tern.event.Hex;
import dev.tern.filter.Filter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * NIP-45 HyperLogLog: 256 one-byte registers fed with the pubkeys of the events a COUNT counts, so clients can
 * merge the answers of several relays (register by register, the highest wins) and estimate the distinct
 * authors. The register and the value come from the pubkey at a deterministic {@code offset} derived from
 * the filter, so every relay fills the same registers. Used on one query thread at a time.
 */
final class Hll {
    static final int REGISTERS = 256;

    private final int offset;
    private final byte[] registers = new byte[REGISTERS];

    Hll(int offset) {
        this.offset = offset;
    }

    /**
     * The HLL for a COUNT of {@code filters}, or null when NIP-45 defines none: it does for one filter with a
     * tag attribute ("behavior isn't yet defined" without one). The offset comes from the first tag
     * attribute's first value; the NIP's common filters have exactly one attribute with one value, and only
     * then is "first" free of the JSON order a parsed filter no longer has, so only those are answered.
     */
    static Hll forFilters(List<Filter> filters) {
        if (filters.size() != 1) return null;
        Map<Character, Set<String>> tags = filters.get(0).tags();
        if (tags.size() != 1) return null;
        Set<String> values = tags.values().iterator().next();
        if (values.size() != 1) return null;
        return new Hll(offsetOf(values.iterator().next()));
    }

    /**
     * NIP-45 offset: the value as 64 hex characters (an id or pubkey as it is, an address's pubkey, anything
     * else its SHA-256), then the character at position 32 read as a hex digit, plus 8.
     */
    static int offsetOf(String value) {
        String hex = value;
        if (!Hex.isLowerHex(hex, 64)) {
            String[] parts = value.split(":", -1);
            hex = parts.length == 3 && Hex.isLowerHex(parts[1], 64) ? parts[1] : Hex.encode(EventJson.sha256(value.getBytes(StandardCharsets.UTF_8)));
        }
        return Character.digit(hex.charAt(32), 16) + 8;
    }

    /**
     * Feeds one counted event's pubkey: the byte at {@code offset} picks the register, and the leading zero bits
     * from byte {@code offset + 1} on, plus 1, are its value if higher than the register's.
     */
    void add(byte[] pubkey) {
        int ri = pubkey[offset] & 0xff;
        int zeros = 0;
        for (int i = offset + 1; i < pubkey.length; i++) {
            int b = pubkey[i] & 0xff;
            if (b != 0) {
                zeros += Integer.numberOfLeadingZeros(b) - 24;
                break;
            }
            zeros += 8;
        }
        int value = zeros + 1;
        if (value > (registers[ri] & 0xff)) registers[ri] = (byte) value;
    }

    /** NIP-45 hll encoding: the 256 registers as 512 hex characters. */
    String hex() {
        return Hex.encode(registers);
    }
}
