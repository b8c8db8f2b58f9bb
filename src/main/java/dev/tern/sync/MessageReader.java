package dev.tern.sync;

/**
 * Reads one negentropy message. Bound timestamps are deltas from the previous one in the same message
 * (NIP-77 appendix, "Bound"). Every malformation is a {@link NegentropyException} with an "invalid:" reason.
 */
final class MessageReader {
    private final byte[] msg;
    private int pos;
    private long lastTimestamp;

    MessageReader(byte[] msg) {
        this.msg = msg;
    }

    boolean hasMore() {
        return pos < msg.length;
    }

    int remaining() {
        return msg.length - pos;
    }

    int readByte() throws NegentropyException {
        if (pos >= msg.length) throw truncated();
        return msg[pos++] & 0xff;
    }

    long readVarint() throws NegentropyException {
        long v = 0;
        for (int digits = 0; ; digits++) {
            int b = readByte();
            if ((v >>> 56) != 0) throw new NegentropyException("invalid: varint larger than 63 bits");
            v = (v << 7) | (b & 0x7f);
            if ((b & 0x80) == 0) return v;
            if (digits == 9) throw new NegentropyException("invalid: varint longer than 10 bytes");
        }
    }

    byte[] readBytes(int n) throws NegentropyException {
        if (n > remaining()) throw truncated();
        byte[] b = java.util.Arrays.copyOfRange(msg, pos, pos + n);
        pos += n;
        return b;
    }

    Bound readBound() throws NegentropyException {
        long encoded = readVarint();
        long timestamp;
        if (encoded == 0 || lastTimestamp == Bound.INFINITY_TIME) {
            timestamp = Bound.INFINITY_TIME;
        } else {
            long t = lastTimestamp + (encoded - 1);
            // a finite timestamp past 2^63-2 is past every event's created_at: it sorts as infinity does
            timestamp = t < 0 || t >= Bound.INFINITY_TIME ? Bound.INFINITY_TIME : t;
        }
        lastTimestamp = timestamp;
        long length = readVarint();
        if (length > Item.ID_SIZE) throw new NegentropyException("invalid: bound id prefix longer than 32 bytes");
        return new Bound(timestamp, readBytes((int) length));
    }

    private static NegentropyException truncated() {
        return new NegentropyException("invalid: negentropy message ends in the middle of a range");
    }
}
