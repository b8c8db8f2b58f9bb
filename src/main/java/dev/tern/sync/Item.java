package dev.tern.sync;

import java.util.Arrays;

/** One record of a negentropy set (NIP-77 appendix): an event's created_at and its 32-byte id. */
public record Item(long createdAt, byte[] id) implements Comparable<Item> {
    public static final int ID_SIZE = 32;

    public Item {
        if (id.length != ID_SIZE) throw new IllegalArgumentException("an item id has 32 bytes");
    }

    /** NIP-77: ordered by timestamp, then lexically by id. */
    @Override
    public int compareTo(Item o) {
        int c = Long.compare(createdAt, o.createdAt);
        return c != 0 ? c : Arrays.compareUnsigned(id, o.id);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Item i && i.createdAt == createdAt && Arrays.equals(i.id, id);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(createdAt) * 31 + Arrays.hashCode(id);
    }
}
