package dev.tern.blob;

import dev.tern.event.Event;
import dev.tern.event.EventParser;
import dev.tern.event.ParseResult;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Checks Blossom authorization tokens (BUD-11): a kind 24242 event, signed, in the {@code Authorization: Nostr
 * <base64url>} header. A token that fails a check is refused with 401 and the check it failed.
 */
final class BlobAuth {
    static final int KIND = 24242;
    /** Clocks disagree a little: a token made "now" on a fast clock is still accepted. */
    private static final long CLOCK_SKEW_SECONDS = 60;
    /** The header of a token is small; anything larger is not one. */
    private static final int MAX_HEADER_CHARS = 16 * 1024;

    /** The verbs of the {@code t} tag. */
    enum Verb { GET, UPLOAD, LIST, DELETE, MEDIA;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A valid token: who signed it and the blob hashes its x tags name. */
    record Token(String pubkey, List<String> blobs) {
        /** BUD-11: a token with x tags is valid only for the blobs they name. */
        boolean covers(String sha256) {
            return blobs.contains(sha256);
        }
    }

    private final EventParser parser = new EventParser(true);
    private final String serverName;
    private final LongSupplier clockSeconds;

    /** @param serverName this server's domain, for tokens scoped by {@code server} tags; empty = the request's Host */
    BlobAuth(String serverName, LongSupplier clockSeconds) {
        this.serverName = serverName.toLowerCase(Locale.ROOT);
        this.clockSeconds = clockSeconds;
    }

    /**
     * The token of {@code header} if it allows {@code verb} on this server, else a 401 {@link BlobException}.
     * {@code host} is the request's Host header (the server's name when none is configured).
     */
    Token check(String header, Verb verb, String host) {
        if (header == null || header.isBlank()) throw unauthorized("authorization required: a kind " + KIND + " event (BUD-11)");
        if (header.length() > MAX_HEADER_CHARS) throw unauthorized("the Authorization header is too long");
        String h = header.trim();
        if (!h.regionMatches(true, 0, "Nostr ", 0, 6)) throw unauthorized("the Authorization scheme must be 'Nostr'");
        byte[] json;
        try {
            json = Base64.getUrlDecoder().decode(stripPadding(h.substring(6).trim()));
        } catch (IllegalArgumentException e) {
            throw unauthorized("the authorization token is not base64url");
        }
        Event e = switch (parser.parse(json)) {
            case ParseResult.Parsed p -> p.event();
            case ParseResult.Rejected r -> throw unauthorized("invalid authorization event: " + r.rejection().message());
        };
        long now = clockSeconds.getAsLong();
        if (e.kind() != KIND) throw unauthorized("the authorization event must be of kind " + KIND + ", not " + e.kind());
        if (e.createdAt() > now + CLOCK_SKEW_SECONDS) throw unauthorized("the authorization event is dated in the future");
        var expiration = e.expiration();
        if (expiration.isEmpty()) throw unauthorized("the authorization event has no expiration tag");
        if (expiration.getAsLong() <= now) throw unauthorized("the authorization event has expired");
        String t = e.firstTagValue("t");
        if (!verb.tag().equals(t)) {
            throw unauthorized("the authorization event is for '" + (t == null ? "nothing" : t) + "', this needs '" + verb.tag() + "'");
        }
        List<String> blobs = new ArrayList<>();
        List<String> servers = new ArrayList<>();
        for (List<String> tag : e.tags()) {
            if (tag.size() < 2) continue;
            if (tag.get(0).equals("x")) blobs.add(tag.get(1).toLowerCase(Locale.ROOT));
            else if (tag.get(0).equals("server")) servers.add(tag.get(1).toLowerCase(Locale.ROOT));
        }
        if (!servers.isEmpty()) {
            String name = serverName.isEmpty() ? hostName(host) : serverName;
            if (!servers.contains(name)) throw unauthorized("the authorization event is for other servers, not " + name);
        }
        return new Token(e.pubkeyHex(), List.copyOf(blobs));
    }

    /** A token that must name {@code sha256} in an x tag (upload, delete, mirror: BUD-11's table). */
    static void requireBlob(Token token, String sha256) {
        if (!token.covers(sha256)) throw unauthorized("the authorization event has no x tag for blob " + sha256);
    }

    static BlobException unauthorized(String reason) {
        return new BlobException(401, reason);
    }

    /** "Example.com:3334" -> "example.com". */
    static String hostName(String host) {
        if (host == null) return "";
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) return h.substring(0, Math.max(1, h.indexOf(']') + 1));
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    private static String stripPadding(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '=') end--;
        return s.substring(0, end);
    }
}
