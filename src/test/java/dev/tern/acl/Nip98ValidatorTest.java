package dev.tern.acl;

import static dev.tern.acl.FollowSetTest.key;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tern.event.Event;
import dev.tern.event.Hex;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class Nip98ValidatorTest {
    static final String URL = "http://127.0.0.1:3334/";
    static final byte[] BODY = "{\"method\":\"supportedmethods\",\"params\":[]}".getBytes(StandardCharsets.UTF_8);

    private final Random random = new Random(3);
    private final KeyPair admin = KeyPair.generate(random);
    private final KeyPair other = KeyPair.generate(random);
    private final AtomicLong now = new AtomicLong(1_700_000_000L);
    private final Nip98Validator validator = new Nip98Validator(new Identities(Set.of(), Set.of(key(admin))), 60, 100, now::get);

    /** An Authorization header value for a NIP-98 event; {@code payload} null leaves the tag out. */
    static String header(KeyPair k, long createdAt, int kind, String url, String method, byte[] payload) {
        List<List<String>> tags = new ArrayList<>();
        tags.add(List.of("u", url));
        tags.add(List.of("method", method));
        if (payload != null) tags.add(List.of("payload", Hex.encode(Nip98Validator.sha256(payload))));
        Event e = Signer.sign(k, createdAt, kind, tags, "");
        return "Nostr " + Base64.getEncoder().encodeToString(e.json());
    }

    private Nip98Validator.Result check(String header) {
        return validator.validate(header, "POST", URL, Nip98Validator.sha256(BODY));
    }

    private static Nip98Validator.Result.Invalid invalid(int status, String reason) {
        return new Nip98Validator.Result.Invalid(status, reason);
    }

    @Test
    void validOnceThenReplayIsRefused() {
        String h = header(admin, now.get() - 30, 27235, URL, "POST", BODY);
        assertEquals(new Nip98Validator.Result.Valid(key(admin)), check(h));
        assertEquals(invalid(401, "auth event was already used; sign a new one for each request"), check(h));
    }

    @Test
    void createdAtMustBeWithinTheWindowEitherWay() {
        String reason = "auth event created_at is more than 60 s from the server's time";
        assertEquals(invalid(401, reason), check(header(admin, now.get() - 61, 27235, URL, "POST", BODY)));
        assertEquals(invalid(401, reason), check(header(admin, now.get() + 61, 27235, URL, "POST", BODY)));
        assertEquals(new Nip98Validator.Result.Valid(key(admin)), check(header(admin, now.get() + 60, 27235, URL, "POST", BODY)));
    }

    @Test
    void urlMethodAndPayloadMustMatchTheRequest() {
        assertEquals(invalid(401, "auth event 'u' tag 'http://127.0.0.1:3334/api/stats' is not the request URL '" + URL + "'"),
                check(header(admin, now.get(), 27235, "http://127.0.0.1:3334/api/stats", "POST", BODY)));
        assertEquals(invalid(401, "auth event 'method' tag 'GET' is not the request method POST"),
                check(header(admin, now.get(), 27235, URL, "GET", BODY)));
        assertEquals(invalid(401, "auth event 'payload' tag is not the SHA-256 of the request body"),
                check(header(admin, now.get(), 27235, URL, "POST", "other".getBytes(StandardCharsets.UTF_8))));
        assertEquals(invalid(401, "auth event has no 'payload' tag for the request body"),
                check(header(admin, now.get(), 27235, URL, "POST", null)));
        assertEquals(new Nip98Validator.Result.Valid(key(admin)),
                validator.validate(header(admin, now.get(), 27235, URL + "api/export?x=1", "GET", null), "GET", URL + "api/export?x=1", null));
    }

    @Test
    void relayWebSocketUrlStandsForItsHttpUrl() {
        assertEquals(new Nip98Validator.Result.Valid(key(admin)), check(header(admin, now.get(), 27235, "ws://127.0.0.1:3334", "POST", BODY)));
        assertEquals(true, Nip98Validator.sameUrl("wss://Relay.example.com", "https://relay.example.com/"));
        assertEquals(false, Nip98Validator.sameUrl("wss://relay.example.com/a", "https://relay.example.com/"));
        assertEquals(false, Nip98Validator.sameUrl("https://relay.example.com/?a=1", "https://relay.example.com/"));
    }

    @Test
    void signerMustBeAnOwnerOrAdmin() {
        assertEquals(invalid(403, "pubkey " + other.publicKeyHex() + " is not an owner or admin of this relay"),
                check(header(other, now.get(), 27235, URL, "POST", BODY)));
    }

    @Test
    void malformedCredentialsSayWhy() {
        assertEquals(invalid(401, "missing Authorization header (NIP-98)"), check(null));
        assertEquals(invalid(401, "Authorization scheme must be 'Nostr' (NIP-98)"), check("Bearer abc"));
        assertEquals(invalid(401, "Authorization token is not base64"), check("Nostr %%%"));
        assertEquals(invalid(401, "auth event is not a valid signed Nostr event"),
                check("Nostr " + Base64.getEncoder().encodeToString("{}".getBytes(StandardCharsets.UTF_8))));
        String good = header(admin, now.get(), 27235, URL, "POST", BODY);
        String json = new String(Base64.getDecoder().decode(good.substring(6)), StandardCharsets.UTF_8);
        String forged = json.replaceAll("\"sig\":\"(.)", "\"sig\":\"" + "0");
        if (forged.equals(json)) forged = json.replaceAll("\"sig\":\"(.)", "\"sig\":\"1");
        assertEquals(invalid(401, "auth event is not a valid signed Nostr event"),
                check("Nostr " + Base64.getEncoder().encodeToString(forged.getBytes(StandardCharsets.UTF_8))));
        assertEquals(invalid(401, "auth event kind must be 27235, got 1"), check(header(admin, now.get(), 1, URL, "POST", BODY)));
    }

    @Test
    void aFullReplayCacheRefusesInsteadOfForgetting() {
        Nip98Validator small = new Nip98Validator(new Identities(Set.of(key(admin)), Set.of()), 60, 1, now::get);
        assertEquals(new Nip98Validator.Result.Valid(key(admin)),
                small.validate(header(admin, now.get(), 27235, URL, "GET", null), "GET", URL, null));
        String second = header(admin, now.get() + 1, 27235, URL, "GET", null);
        assertEquals(invalid(429, "too many admin requests in the last 60 s; retry later"), small.validate(second, "GET", URL, null));
        now.addAndGet(61); // the first event has left the window
        assertEquals(new Nip98Validator.Result.Valid(key(admin)), small.validate(second, "GET", URL, null));
    }
}
