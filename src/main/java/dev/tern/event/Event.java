package dev.tern.event;

import java.util.List;
import java.util.OptionalLong;

/**
 * A validated Nostr event (NIP-01). {@code json} is the stored and wire form:
 * {@code {"id":..,"pubkey":..,"created_at":..,"kind":..,"tags":..,"content":..,"sig":..}} with
 * NIP-01 string escaping; unknown top-level fields of the input are not part of it.
 * Equality is by id.
 */
public record Event(byte[] id, byte[] pubkey, byte[] sig, long createdAt, int kind,
                    List<List<String>> tags, String content, byte[] json) {

    public static final int DELETION_KIND = 5;

    public String idHex() { return Hex.encode(id); }

    public String pubkeyHex() { return Hex.encode(pubkey); }

    public KindClass kindClass() { return KindClass.of(kind); }

    /** The first value of the first tag named {@code name}, or null. */
    public String firstTagValue(String name) {
        for (List<String> t : tags) if (t.size() >= 2 && t.get(0).equals(name)) return t.get(1);
        return null;
    }

    /** The {@code d} tag value of an addressable event ("" when absent, as NIP-01 says). */
    public String dTag() {
        String d = firstTagValue("d");
        return d == null ? "" : d;
    }

    /** NIP-40 expiration timestamp, if the event carries a well-formed one. */
    public OptionalLong expiration() {
        String v = firstTagValue("expiration");
        if (v == null) return OptionalLong.empty();
        try {
            return OptionalLong.of(Long.parseLong(v));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** NIP-70: a {@code ["-"]} tag marks an event only its author may publish. */
    public boolean isProtected() {
        for (List<String> t : tags) if (t.size() == 1 && t.get(0).equals("-")) return true;
        return false;
    }

    /** NIP-01 address {@code kind:pubkey:d} of a replaceable or addressable event, else null. */
    public String address() {
        return switch (kindClass()) {
            case REPLACEABLE -> kind + ":" + pubkeyHex() + ":";
            case ADDRESSABLE -> kind + ":" + pubkeyHex() + ":" + dTag();
            default -> null;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Event e && java.util.Arrays.equals(id, e.id);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(id);
    }

    @Override
    public String toString() {
        return new String(json, java.nio.charset.StandardCharsets.UTF_8);
    }
}
