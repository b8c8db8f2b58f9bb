package dev.tern.store;

import dev.tern.event.Hex;
import dev.tern.event.KindClass;

/** A parsed NIP-01 address {@code kind:pubkey:d} of a replaceable or addressable event (an {@code a} tag value). */
record Address(int kind, byte[] pubkey, String d) {
    /** The address, or null if {@code value} is not one (bad kind, pubkey, or a kind that has no address). */
    static Address parse(String value) {
        String[] parts = value.split(":", 3);
        if (parts.length != 3 || parts[0].isEmpty() || parts[0].length() > 5) return null;
        int kind;
        try {
            kind = Integer.parseInt(parts[0]);
        } catch (NumberFormatException e) {
            return null;
        }
        if (kind < 0 || kind > 0xffff) return null;
        byte[] pubkey = Hex.decodeLower(parts[1], Keys.ID);
        if (pubkey == null) return null;
        return switch (KindClass.of(kind)) {
            case REPLACEABLE -> new Address(kind, pubkey, ""); // replaceable addresses have no d (NIP-01)
            case ADDRESSABLE -> new Address(kind, pubkey, parts[2]);
            default -> null;
        };
    }

    byte[] key() {
        return Keys.address(pubkey, kind, d);
    }
}
