package dev.tern.blob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BUD-11 tokens: each check refuses with 401 and says which check failed. */
class BlobAuthTest {
    static final long NOW = 1_800_000_000L;
    static final String BLOB = "ab".repeat(32);
    final KeyPair keys = KeyPair.generate();
    final BlobAuth auth = new BlobAuth("", () -> NOW);

    String token(int kind, long createdAt, List<List<String>> tags) {
        return BlobRelay.header(Signer.sign(keys, createdAt, kind, tags, "Upload Blob"));
    }

    List<List<String>> tags(String verb, long expiration, String... extra) {
        List<List<String>> t = new ArrayList<>(List.of(List.of("t", verb), List.of("expiration", Long.toString(expiration))));
        for (int i = 0; i < extra.length; i += 2) t.add(List.of(extra[i], extra[i + 1]));
        return t;
    }

    String refusal(String header, BlobAuth.Verb verb) {
        BlobException e = assertThrows(BlobException.class, () -> auth.check(header, verb, "media.example.com:3334"));
        assertEquals(401, e.status);
        return e.getMessage();
    }

    @Test
    void aValidTokenNamesItsSignerAndBlobs() {
        BlobAuth.Token t = auth.check(token(24242, NOW - 5, tags("upload", NOW + 60, "x", BLOB, "server", "media.example.com")),
                BlobAuth.Verb.UPLOAD, "media.example.com:3334");
        assertEquals(keys.publicKeyHex(), t.pubkey());
        assertTrue(t.covers(BLOB));
        BlobAuth.requireBlob(t, BLOB);
    }

    @Test
    void everyBadTokenIsRefusedWithItsReason() {
        assertTrue(refusal(null, BlobAuth.Verb.UPLOAD).contains("authorization required"));
        assertTrue(refusal("Bearer abc", BlobAuth.Verb.UPLOAD).contains("scheme"));
        assertTrue(refusal("Nostr !!!", BlobAuth.Verb.UPLOAD).contains("base64url"));
        assertTrue(refusal("Nostr " + Base64.getUrlEncoder().encodeToString("{\"kind\":1}".getBytes(StandardCharsets.UTF_8)),
                BlobAuth.Verb.UPLOAD).contains("invalid authorization event"));
        assertTrue(refusal(token(1, NOW, tags("upload", NOW + 60)), BlobAuth.Verb.UPLOAD).contains("kind 24242"));
        assertTrue(refusal(token(24242, NOW + 3600, tags("upload", NOW + 7200)), BlobAuth.Verb.UPLOAD).contains("future"));
        assertTrue(refusal(token(24242, NOW, List.of(List.of("t", "upload"))), BlobAuth.Verb.UPLOAD).contains("no expiration"));
        assertTrue(refusal(token(24242, NOW - 100, tags("upload", NOW - 1)), BlobAuth.Verb.UPLOAD).contains("expired"));
        assertTrue(refusal(token(24242, NOW, tags("delete", NOW + 60)), BlobAuth.Verb.UPLOAD).contains("'delete'"));
        assertTrue(refusal(token(24242, NOW, tags("upload", NOW + 60, "server", "other.example")), BlobAuth.Verb.UPLOAD)
                .contains("other servers"));
        // a forged signature: the JSON of a valid token with another signature
        Event e = Signer.sign(keys, NOW, 24242, tags("upload", NOW + 60), "");
        String forged = new String(e.json(), StandardCharsets.UTF_8).replace(e.sig().length > 0 ? dev.tern.event.Hex.encode(e.sig()) : "",
                "00".repeat(64));
        assertTrue(refusal("Nostr " + Base64.getUrlEncoder().withoutPadding().encodeToString(forged.getBytes(StandardCharsets.UTF_8)),
                BlobAuth.Verb.UPLOAD).contains("invalid authorization event"));
        BlobAuth.Token noX = auth.check(token(24242, NOW, tags("upload", NOW + 60)), BlobAuth.Verb.UPLOAD, "h");
        BlobException e2 = assertThrows(BlobException.class, () -> BlobAuth.requireBlob(noX, BLOB));
        assertEquals(401, e2.status);
    }

    @Test
    void aConfiguredServerNameWinsOverTheHostHeader() {
        BlobAuth named = new BlobAuth("media.example.com", () -> NOW);
        named.check(token(24242, NOW, tags("get", NOW + 60, "server", "media.example.com")), BlobAuth.Verb.GET, "127.0.0.1:9");
        assertEquals("example.com", BlobAuth.hostName("Example.com:443"));
    }
}
