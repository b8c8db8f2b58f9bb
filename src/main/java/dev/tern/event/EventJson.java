package dev.tern.event;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/** NIP-01 canonical serialization, event ids, and the stored/wire JSON form of an event. */
public final class EventJson {
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private EventJson() {}

    /**
     * Tags and content serialized once ({@code <tags><content>}, content starting at {@code contentStart}),
     * shared by the canonical form that gives the id and the wire form that is stored.
     *
     * @throws IllegalArgumentException if a string holds an unpaired surrogate
     */
    public record Body(byte[] bytes, int contentStart) {}

    public static Body body(List<List<String>> tags, String content) {
        JsonBytes b = new JsonBytes(64 + 3 * content.length());
        b.tags(tags);
        int contentStart = b.length();
        b.string(content);
        return new Body(b.toByteArray(), contentStart);
    }

    /** {@code [0,<pubkey>,<created_at>,<kind>,<tags>,<content>]}, the bytes whose SHA-256 is the id. */
    public static byte[] canonical(byte[] pubkey, long createdAt, int kind, Body body) {
        JsonBytes b = new JsonBytes(100 + body.bytes().length);
        b.ascii("[0,").hexString(pubkey).raw((byte) ',').number(createdAt).raw((byte) ',').number(kind)
                .raw((byte) ',').raw(body.bytes(), 0, body.contentStart()).raw((byte) ',')
                .raw(body.bytes(), body.contentStart(), body.bytes().length - body.contentStart()).raw((byte) ']');
        return b.toByteArray();
    }

    public static byte[] canonical(byte[] pubkey, long createdAt, int kind, List<List<String>> tags, String content) {
        return canonical(pubkey, createdAt, kind, body(tags, content));
    }

    /** The event id: SHA-256 of the canonical serialization. */
    public static byte[] computeId(byte[] pubkey, long createdAt, int kind, List<List<String>> tags, String content) {
        return sha256(canonical(pubkey, createdAt, kind, tags, content));
    }

    public static byte[] sha256(byte[] data) {
        MessageDigest md = SHA256.get();
        md.reset();
        return md.digest(data);
    }

    /** The stored and wire form: a JSON object with exactly the seven NIP-01 fields. */
    public static byte[] wire(byte[] id, byte[] pubkey, long createdAt, int kind, Body body, byte[] sig) {
        JsonBytes b = new JsonBytes(320 + body.bytes().length);
        b.ascii("{\"id\":").hexString(id)
                .ascii(",\"pubkey\":").hexString(pubkey)
                .ascii(",\"created_at\":").number(createdAt)
                .ascii(",\"kind\":").number(kind)
                .ascii(",\"tags\":").raw(body.bytes(), 0, body.contentStart())
                .ascii(",\"content\":").raw(body.bytes(), body.contentStart(), body.bytes().length - body.contentStart())
                .ascii(",\"sig\":").hexString(sig)
                .raw((byte) '}');
        return b.toByteArray();
    }

    public static byte[] wire(byte[] id, byte[] pubkey, long createdAt, int kind, List<List<String>> tags,
                              String content, byte[] sig) {
        return wire(id, pubkey, createdAt, kind, body(tags, content), sig);
    }
}
