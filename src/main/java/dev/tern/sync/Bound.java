package dev.tern.sync;

import java.util.Arrays;

/**
 * A range bound (NIP-77 appendix, "Bound"): a timestamp and an id prefix whose missing bytes are zero. Items
 * below the bound are those with a smaller timestamp, or the same one and an id below the padded prefix.
 * {@link #INFINITY_TIME} stands for the protocol's infinity (2^64-1), above every event's created_at.
 */
public record Bound(long timestamp, byte[] prefix) {
    public static final long INFINITY_TIME = Long.MAX_VALUE;
    public static final Bound ZERO = new Bound(0, new byte[0]);
    public static final Bound INFINITY = new Bound(INFINITY_TIME, new byte[0]);

    public Bound {
        if (prefix.length > Item.ID_SIZE) throw new IllegalArgumentException("a bound's id prefix has at most 32 bytes");
    }

    /** True if {@code item} sorts before this bound. */
    public boolean isAbove(Item item) {
        if (item.createdAt() != timestamp) return item.createdAt() < timestamp;
        int c = Arrays.compareUnsigned(item.id(), 0, prefix.length, prefix, 0, prefix.length);
        if (c != 0) return c < 0;
        return false; // equal on the prefix, and the rest of the bound is zeros: the item is not below it
    }

    /** Orders bounds as the protocol does: timestamp, then the id prefix padded with zeros. */
    public int compareTo(Bound o) {
        int c = Long.compare(timestamp, o.timestamp);
        if (c != 0) return c;
        byte[] a = Arrays.copyOf(prefix, Item.ID_SIZE);
        byte[] b = Arrays.copyOf(o.prefix, Item.ID_SIZE);
        return Arrays.compareUnsigned(a, b);
    }

    /** The shortest bound that separates {@code prev} from the next item {@code curr} (above prev, not above curr). */
    static Bound between(Item prev, Item curr) {
        if (prev.createdAt() != curr.createdAt()) return new Bound(curr.createdAt(), new byte[0]);
        int shared = Arrays.mismatch(prev.id(), curr.id());
        return new Bound(curr.createdAt(), Arrays.copyOf(curr.id(), shared + 1));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bound b && b.timestamp == timestamp && Arrays.equals(b.prefix, prefix);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(timestamp) * 31 + Arrays.hashCode(prefix);
    }
}
