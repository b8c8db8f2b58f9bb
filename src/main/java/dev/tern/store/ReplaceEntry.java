package dev.tern.store;

import dev.tern.event.Event;
import java.util.Arrays;

/** The stored version of one replaceable/addressable address: value of the {@code replace} family. */
record ReplaceEntry(long serial, long createdAt, byte[] id) {
    static ReplaceEntry of(long serial, Event e) {
        return new ReplaceEntry(serial, e.createdAt(), e.id());
    }

    /** NIP-01: the newest version wins; on equal created_at the lowest id wins. */
    boolean beats(Event e) {
        return createdAt > e.createdAt() || (createdAt == e.createdAt() && Arrays.compareUnsigned(id, e.id()) < 0);
    }

    byte[] encode() {
        byte[] b = new byte[16 + Keys.ID];
        Keys.putLong(b, 0, serial);
        Keys.putLong(b, 8, createdAt);
        System.arraycopy(id, 0, b, 16, Keys.ID);
        return b;
    }

    static ReplaceEntry decode(byte[] b) {
        return new ReplaceEntry(Keys.getLong(b, 0), Keys.getLong(b, 8), Arrays.copyOfRange(b, 16, 16 + Keys.ID));
    }
}
