package dev.tern.acl;

import dev.tern.event.ByteKey;
import dev.tern.event.Event;
import dev.tern.event.EventParser;
import dev.tern.event.Hex;
import dev.tern.event.ParseResult;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Checks a NIP-98 {@code Authorization: Nostr <base64 event>} header: a validly signed kind-27235
 * event, created within {@code windowSeconds} of now, whose {@code u} tag is the absolute request URL,
 * {@code method} tag the request method and, when the request has a body, {@code payload} tag the
 * SHA-256 hex of that body (NIP-86 requires it). The signer must be an owner or admin, and each auth
 * event is accepted once. Every failure says why; 401 for a bad credential, 403 for a good one of a
 * key without rights, 429 when too many auth events are in flight to track.
 *
 * <p>URLs compare after normalising the scheme and an empty path: a NIP-86 client may sign the relay's
 * {@code ws(s)://} URL for the {@code http(s)://} request, and {@code http://h:1} equals {@code http://h:1/}.
 */
public final class Nip98Validator {
    public static final int KIND = 27235;
    private static final EventParser PARSER = new EventParser(true);
    /** Larger headers are refused before decoding; an auth event is a few hundred bytes. */
    private static final int MAX_HEADER_CHARS = 16 * 1024;

    private final Identities identities;
    private final long windowSeconds;
    private final ReplayCache replays;
    private final LongSupplier epochSeconds;

    public Nip98Validator(Identities identities, long windowSeconds, int replayCacheSize, LongSupplier epochSeconds) {
        this.identities = identities;
        this.windowSeconds = windowSeconds;
        this.replays = new ReplayCache(replayCacheSize);
        this.epochSeconds = epochSeconds;
    }

    public sealed interface Result {
        record Valid(ByteKey pubkey) implements Result {}

        /** {@code status} is the HTTP status to answer with. */
        record Invalid(int status, String reason) implements Result {}
    }

    /**
     * @param authorization the Authorization header value, or null if absent
     * @param bodySha256    SHA-256 of the request body, or null when the request has no body
     */
    public Result validate(String authorization, String method, String absoluteUrl, byte[] bodySha256) {
        if (authorization == null || authorization.isBlank()) return unauthorized("missing Authorization header (NIP-98)");
        if (authorization.length() > MAX_HEADER_CHARS) return unauthorized("Authorization header too large");
        String[] parts = authorization.trim().split("\\s+", 2);
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("Nostr")) return unauthorized("Authorization scheme must be 'Nostr' (NIP-98)");
        byte[] json;
        try {
            json = Base64.getDecoder().decode(parts[1].trim());
        } catch (IllegalArgumentException e) {
            return unauthorized("Authorization token is not base64");
        }
        Event e = switch (PARSER.parse(json)) {
            case ParseResult.Parsed p -> p.event();
            case ParseResult.Rejected r -> null;
        };
        if (e == null) return unauthorized("auth event is not a valid signed Nostr event");
        if (e.kind() != KIND) return unauthorized("auth event kind must be " + KIND + ", got " + e.kind());
        long now = epochSeconds.getAsLong();
        if (Math.abs(now - e.createdAt()) > windowSeconds) {
            return unauthorized("auth event created_at is more than " + windowSeconds + " s from the server's time");
        }
        String u = e.firstTagValue("u");
        if (u == null) return unauthorized("auth event has no 'u' tag");
        if (!sameUrl(u, absoluteUrl)) return unauthorized("auth event 'u' tag '" + u + "' is not the request URL '" + absoluteUrl + "'");
        String m = e.firstTagValue("method");
        if (m == null) return unauthorized("auth event has no 'method' tag");
        if (!m.equalsIgnoreCase(method)) return unauthorized("auth event 'method' tag '" + m + "' is not the request method " + method);
        if (bodySha256 != null) {
            String payload = e.firstTagValue("payload");
            if (payload == null) return unauthorized("auth event has no 'payload' tag for the request body");
            if (!payload.equalsIgnoreCase(Hex.encode(bodySha256))) return unauthorized("auth event 'payload' tag is not the SHA-256 of the request body");
        }
        ByteKey signer = ByteKey.of(e.pubkey());
        if (!identities.isPrivileged(signer)) return new Result.Invalid(403, "pubkey " + signer + " is not an owner or admin of this relay");
        return switch (replays.use(ByteKey.of(e.id()), e.createdAt() + windowSeconds, now)) {
            case FIRST_USE -> new Result.Valid(signer);
            case REPLAYED -> unauthorized("auth event was already used; sign a new one for each request");
            case FULL -> new Result.Invalid(429, "too many admin requests in the last " + windowSeconds + " s; retry later");
        };
    }

    /** SHA-256 of a request body, for {@code bodySha256}. */
    public static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }

    static boolean sameUrl(String signed, String request) {
        if (signed.equals(request)) return true;
        String a = normalize(signed), b = normalize(request);
        return a != null && a.equals(b);
    }

    private static String normalize(String url) {
        try {
            URI u = new URI(url);
            if (u.getScheme() == null || u.getRawAuthority() == null) return null;
            String scheme = switch (u.getScheme().toLowerCase(Locale.ROOT)) {
                case "ws" -> "http";
                case "wss" -> "https";
                default -> u.getScheme().toLowerCase(Locale.ROOT);
            };
            String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
            String query = u.getRawQuery() == null ? "" : "?" + u.getRawQuery();
            return scheme + "://" + u.getRawAuthority().toLowerCase(Locale.ROOT) + path + query;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static Result unauthorized(String reason) {
        return new Result.Invalid(401, reason);
    }
}
