package dev.tern.event;

import java.util.List;
import java.util.Random;

/** Builds signed events (tests, `tern gen`, NIP-42/98 clients). */
public final class Signer {
    private Signer() {}

    public static Event sign(KeyPair keys, long createdAt, int kind, List<List<String>> tags, String content) {
        return sign(keys, createdAt, kind, tags, content, null);
    }

    /** Signs with aux randomness from {@code random} (null: none), so a seeded generator is reproducible. */
    public static Event sign(KeyPair keys, long createdAt, int kind, List<List<String>> tags, String content,
                             Random random) {
        List<List<String>> frozen = tags.stream().map(List::copyOf).toList();
        EventJson.Body body = EventJson.body(frozen, content);
        byte[] id = EventJson.sha256(EventJson.canonical(keys.publicKey(), createdAt, kind, body));
        byte[] aux = null;
        if (random != null) {
            aux = new byte[32];
            random.nextBytes(aux);
        }
        byte[] sig = Schnorr.sign(id, keys.secretKey(), aux);
        byte[] json = EventJson.wire(id, keys.publicKey(), createdAt, kind, body, sig);
        return new Event(id, keys.publicKey().clone(), sig, createdAt, kind, frozen, content, json);
    }
}
