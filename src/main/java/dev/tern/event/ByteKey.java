package dev.tern.event;

import java.util.Arrays;

/** A byte array with value equality and unsigned lexicographic order, for sets and maps of ids and keys. */
public record ByteKey(byte[] bytes) implements Comparable<ByteKey> {
    public static ByteKey of(byte[] bytes) { return new ByteKey(bytes); }

    @Override
    public boolean equals(Object o) {
        return o instanceof ByteKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() { return Arrays.hashCode(bytes); }

    @Override
    public int compareTo(ByteKey o) { return Arrays.compareUnsigned(bytes, o.bytes); }

    @Override
    public String toString() { return Hex.encode(bytes); }
}
