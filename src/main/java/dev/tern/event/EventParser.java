package dev.tern.event;

import dev.tern.json.Json;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Strict NIP-01 event parsing with jackson-core's streaming parser. Exactly the seven NIP-01 fields,
 * each once; lowercase hex of exact lengths; integer created_at (0..2^53-1) and kind (0..65535); tags an
 * array of arrays of strings; content a string; valid UTF-8. Unknown top-level fields are accepted and
 * dropped from the stored form. The id must be the SHA-256 of the canonical serialization, and the
 * signature is checked unless verification is off. Thread-safe.
 */
public final class EventParser {
    /**
     * Largest accepted created_at: JavaScript's Number.MAX_SAFE_INTEGER. Clients compute ids with
     * JSON.stringify (NIP-01), which cannot print larger integers exactly, so such an event has no id
     * that every client agrees on.
     */
    public static final long MAX_CREATED_AT = (1L << 53) - 1;

    private final boolean verifySignatures;
    private final VerifiedBefore verifiedBefore;

    public EventParser(boolean verifySignatures) {
        this(verifySignatures, VerifiedBefore.NONE);
    }

    /** Skips the signature check of an exact copy of an event {@code verifiedBefore} holds. */
    public EventParser(boolean verifySignatures, VerifiedBefore verifiedBefore) {
        this.verifySignatures = verifySignatures;
        this.verifiedBefore = verifiedBefore;
    }

    public ParseResult parse(byte[] data) {
        return parse(data, 0, data.length);
    }

    /** Parses one event object that must fill {@code data[off, off+len)} (whitespace around it is fine). */
    public ParseResult parse(byte[] data, int off, int len) {
        if (!isValidUtf8(data, off, len)) return reject(RejectReason.INVALID_UTF8, "event is not valid UTF-8");
        try (JsonParser p = Json.parser(data, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return reject(RejectReason.MALFORMED_JSON, "event must be a JSON object");
            Fields f = readFields(p);
            // Structure first: trailing data is refused before any hashing or signature work.
            if (p.nextToken() != null) return reject(RejectReason.MALFORMED_JSON, "trailing data after the event object");
            return validate(f);
        } catch (StreamConstraintsException e) {
            return reject(RejectReason.MALFORMED_JSON, "JSON too deeply nested or too large");
        } catch (IOException e) {
            return reject(RejectReason.MALFORMED_JSON, "malformed JSON: " + shortMessage(e));
        }
    }

    /**
     * Parses an event object whose START_OBJECT the parser has just read (e.g. inside ["EVENT", {...}]).
     * Whether the event is accepted or rejected, the parser is left on the object's END_OBJECT, so the
     * caller can go on reading the enclosing message. The caller must have checked that the input is
     * valid UTF-8 ({@link #parse} does). Throws only for malformed JSON.
     */
    public ParseResult parseObject(JsonParser p) throws IOException {
        return validate(readFields(p));
    }

    /**
     * Decodes an event from the wire form a store wrote after validating it, skipping the checks that
     * it passed then: UTF-8, the canonical re-serialization and id hash, the signature. Replacing an
     * event reads its old version back to find its index keys; for a follow list of hundreds of tags the
     * full {@link #parse} re-hashed kilobytes per replacement. Throws IllegalArgumentException if the
     * bytes are not an event object.
     */
    public static Event parseStored(byte[] json) {
        try (JsonParser p = Json.parser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IllegalArgumentException("not a JSON object");
            Fields f = readFields(p);
            if (f.error != null) throw new IllegalArgumentException(f.error.message());
            String missing = firstMissing(f);
            if (missing != null) throw new IllegalArgumentException("missing field '" + missing + "'");
            byte[] id = Hex.decodeLower(f.id, 32), pubkey = Hex.decodeLower(f.pubkey, 32), sig = Hex.decodeLower(f.sig, 64);
            if (id == null || pubkey == null || sig == null) throw new IllegalArgumentException("malformed id, pubkey or sig");
            return new Event(id, pubkey, sig, f.createdAt, f.kind, f.tags, f.content, json);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed JSON: " + shortMessage(e), e);
        }
    }

    /** The raw field values of one event object, or the first reason to refuse it. */
    private static final class Fields {
        String id, pubkey, sig, content;
        Long createdAt;
        Integer kind;
        List<List<String>> tags;
        Rejection error;
    }

    /** Reads up to and including the END_OBJECT; after the first error, remaining values are only skipped. */
    private static Fields readFields(JsonParser p) throws IOException {
        Fields f = new Fields();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            if (f.error == null) f.error = readField(p, field, v, f);
            p.skipChildren(); // a container value left unread (an error, or an unknown field)
        }
        return f;
    }

    /** Stores one field's value in {@code f}; returns why it is refused, or null. */
    private static Rejection readField(JsonParser p, String field, JsonToken v, Fields f) throws IOException {
        switch (field) {
            case "id", "pubkey", "sig", "content" -> {
                boolean seen = switch (field) {
                    case "id" -> f.id != null;
                    case "pubkey" -> f.pubkey != null;
                    case "sig" -> f.sig != null;
                    default -> f.content != null;
                };
                if (seen) return invalid(RejectReason.BAD_FIELD, "duplicate field '" + field + "'");
                if (v != JsonToken.VALUE_STRING) return invalid(RejectReason.BAD_FIELD, "'" + field + "' must be a string");
                String s = p.getText();
                switch (field) {
                    case "id" -> f.id = s;
                    case "pubkey" -> f.pubkey = s;
                    case "sig" -> f.sig = s;
                    default -> f.content = s;
                }
            }
            case "created_at" -> {
                if (f.createdAt != null) return invalid(RejectReason.BAD_FIELD, "duplicate field 'created_at'");
                if (!isIntegerIn(p, v, 0, MAX_CREATED_AT)) {
                    return invalid(RejectReason.BAD_FIELD, "'created_at' must be an integer between 0 and " + MAX_CREATED_AT);
                }
                f.createdAt = p.getLongValue();
            }
            case "kind" -> {
                if (f.kind != null) return invalid(RejectReason.BAD_FIELD, "duplicate field 'kind'");
                if (!isIntegerIn(p, v, 0, 65535)) return invalid(RejectReason.BAD_FIELD, "'kind' must be an integer between 0 and 65535");
                f.kind = p.getIntValue();
            }
            case "tags" -> {
                if (f.tags != null) return invalid(RejectReason.BAD_FIELD, "duplicate field 'tags'");
                f.tags = parseTags(p, v);
                if (f.tags == null) return invalid(RejectReason.BAD_FIELD, "'tags' must be an array of arrays of strings");
            }
            default -> { } // unknown fields are accepted and dropped (NIP-01 lets later NIPs add fields)
        }
        return null;
    }

    /** True if the current token is a JSON integer (no fraction, no exponent) within [min, max]. */
    private static boolean isIntegerIn(JsonParser p, JsonToken v, long min, long max) throws IOException {
        if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) return false;
        long n = p.getLongValue();
        return n >= min && n <= max;
    }

    private ParseResult validate(Fields f) {
        if (f.error != null) return new ParseResult.Rejected(f.error);
        String missing = firstMissing(f);
        if (missing != null) return reject(RejectReason.BAD_FIELD, "missing field '" + missing + "'");
        byte[] idBytes = Hex.decodeLower(f.id, 32);
        if (idBytes == null) return reject(RejectReason.BAD_FIELD, "'id' must be 64 lowercase hex characters");
        byte[] pubBytes = Hex.decodeLower(f.pubkey, 32);
        if (pubBytes == null) return reject(RejectReason.BAD_FIELD, "'pubkey' must be 64 lowercase hex characters");
        byte[] sigBytes = Hex.decodeLower(f.sig, 64);
        if (sigBytes == null) return reject(RejectReason.BAD_FIELD, "'sig' must be 128 lowercase hex characters");

        EventJson.Body body;
        try {
            body = EventJson.body(f.tags, f.content);
        } catch (IllegalArgumentException e) { // an escaped lone surrogate: no UTF-8 form, no agreed id
            return reject(RejectReason.INVALID_UTF8, "string holds an unpaired surrogate escape");
        }
        byte[] computed = EventJson.sha256(EventJson.canonical(pubBytes, f.createdAt, f.kind, body));
        if (!Arrays.equals(computed, idBytes)) return reject(RejectReason.BAD_ID, "event id does not match the event's content");
        if (verifySignatures && !verifiedBefore.holds(idBytes, sigBytes)) {
            if (!Schnorr.verify(sigBytes, idBytes, pubBytes)) return reject(RejectReason.BAD_SIGNATURE, "signature verification failed");
            verifiedBefore.verified(idBytes);
        }
        byte[] json = EventJson.wire(idBytes, pubBytes, f.createdAt, f.kind, body, sigBytes);
        return new ParseResult.Parsed(new Event(idBytes, pubBytes, sigBytes, f.createdAt, f.kind, f.tags, f.content, json));
    }

    /** The tags, or null (with the parser on the END_ARRAY of the tags, or past a non-array value) if malformed. */
    private static List<List<String>> parseTags(JsonParser p, JsonToken start) throws IOException {
        if (start != JsonToken.START_ARRAY) return null; // the caller skips a container value
        List<List<String>> tags = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_ARRAY) {
                p.skipChildren();
                skipRest(p);
                return null;
            }
            List<String> tag = new ArrayList<>(4);
            JsonToken e;
            while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                if (e != JsonToken.VALUE_STRING) {
                    p.skipChildren();
                    skipRest(p); // the rest of this tag
                    skipRest(p); // the rest of the tags
                    return null;
                }
                tag.add(p.getText());
            }
            tags.add(List.copyOf(tag));
        }
        return List.copyOf(tags);
    }

    /** Skips to the END_ARRAY of the array the parser is inside. */
    private static void skipRest(JsonParser p) throws IOException {
        while (p.nextToken() != JsonToken.END_ARRAY) p.skipChildren();
    }

    private static String firstMissing(Fields f) {
        if (f.id == null) return "id";
        if (f.pubkey == null) return "pubkey";
        if (f.createdAt == null) return "created_at";
        if (f.kind == null) return "kind";
        if (f.tags == null) return "tags";
        if (f.content == null) return "content";
        if (f.sig == null) return "sig";
        return null;
    }

    /**
     * True if the bytes are well-formed UTF-8: no overlong forms, no encoded surrogates, nothing above
     * U+10FFFF. Callers of {@link #parseObject} check their whole message with this first.
     */
    public static boolean isValidUtf8(byte[] data, int off, int len) {
        int end = off + len;
        int i = off;
        while (i < end && data[i] >= 0) i++;
        if (i == end) return true;
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data, i, end - i));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static String shortMessage(IOException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl > 0 ? m.substring(0, nl) : m;
    }

    private static Rejection invalid(RejectReason reason, String detail) {
        return Rejection.invalid(reason, detail);
    }

    private static ParseResult reject(RejectReason reason, String detail) {
        return new ParseResult.Rejected(Rejection.invalid(reason, detail));
    }
}
