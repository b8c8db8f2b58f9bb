package dev.tern.blob;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What the store keeps of one blob: its size, media type, first upload time (unix seconds) and how many
 * pubkeys own it. Stored as 8 + 8 + 4 bytes and the type in UTF-8.
 */
record BlobMeta(long size, String type, long uploaded, int owners) {
    byte[] encode() {
        byte[] t = type.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(20 + t.length).putLong(size).putLong(uploaded).putInt(owners).put(t).array();
    }

    static BlobMeta decode(byte[] b) {
        ByteBuffer buf = ByteBuffer.wrap(b);
        long size = buf.getLong();
        long uploaded = buf.getLong();
        int owners = buf.getInt();
        return new BlobMeta(size, new String(b, 20, b.length - 20, StandardCharsets.UTF_8), uploaded, owners);
    }

    BlobMeta withOwners(int n) {
        return new BlobMeta(size, type, uploaded, n);
    }
}
