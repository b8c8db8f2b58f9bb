package dev.tern.sync;

import java.io.ByteArrayOutputStream;

/** Writes one negentropy message (or one range of it): bounds with timestamps as deltas, varints, ids. */
final class MessageWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private long lastTimestamp;

    /** {@code lastTimestamp}: that of the bound written before this writer's output (0 at a message's start). */
    MessageWriter(long lastTimestamp) {
        this.lastTimestamp = lastTimestamp;
    }

    long lastTimestamp() {
        return lastTimestamp;
    }

    void writeByte(int b) {
        out.write(b);
    }

    void writeVarint(long v) {
        Varint.write(out, v);
    }

    void writeBytes(byte[] b) {
        out.writeBytes(b);
    }

    void writeBound(Bound b) {
        if (b.timestamp() == Bound.INFINITY_TIME) {
            writeVarint(0);
        } else {
            writeVarint(1 + b.timestamp() - lastTimestamp);
        }
        lastTimestamp = b.timestamp();
        writeVarint(b.prefix().length);
        writeBytes(b.prefix());
    }

    /** Appends what {@code range} wrote, which continued this writer's timestamps. */
    void append(MessageWriter range) {
        out.writeBytes(range.out.toByteArray());
        lastTimestamp = range.lastTimestamp;
    }

    int size() {
        return out.size();
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
