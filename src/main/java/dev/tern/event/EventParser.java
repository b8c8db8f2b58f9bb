package dev.tern.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
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
 * each once; lowercase hex of exact lengths; integer created_at (>= 0) and kind (0..65535); tags an
 * array of arrays of strings; content a string; valid UTF-8. Unknown top-level fields are accepted and
 * dropped from the stored form. The id must be the SHA-256 of the canonical serialization, and the
 * signature is checked unless verification is off. Thread-safe.
 */
public final class EventParser {
    /** Shared factory; nesting is capped well below Jackson's default since events are two levels deep. */
    public static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();

    private final boolean verifySignatures;

    public EventParser(boolean verifySignatures) {
        this.verifySignatures = verifySignatures;
    }

    public ParseResult parse(byte[] data) {
        return parse(data, 0, data.length);
    }

    public ParseResult parse(byte[] data, int off, int len) {
        if (!isValidUtf8(data, off, len)) return reject(RejectReason.INVALID_UTF8, "event is not valid UTF-8");
        try (JsonParser p = JSON.createParser(data, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return reject(RejectReason.MALFORMED_JSON, "event must be a JSON object");
            ParseResult r = parseObject(p);
            if (r instanceof ParseResult.Parsed && p.nextToken() != null) {
                return reject(RejectReason.MALFORMED_JSON, "trailing data after the event object");
            }
            return r;
        } catch (StreamConstraintsException e) {
            return reject(RejectReason.MALFORMED_JSON, "JSON too deeply nested or too large");
        } catch (IOException e) {
            return reject(RejectReason.MALFORMED_JSON, "malformed JSON: " + shortMessage(e));
        }
    }

    /** Parses an event object whose START_OBJECT the parser has just read (e.g. inside ["EVENT", {...}]). */
    public ParseResult parseObject(JsonParser p) throws IOException {
        String id = null, pubkey = null, sig = null, content = null;
        Long createdAt = null;
        Integer kind = null;
        List<List<String>> tags = null;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "id", "pubkey", "sig", "content" -> {
                    boolean seen = switch (field) {
                        case "id" -> id != null;
                        case "pubkey" -> pubkey != null;
                        case "sig" -> sig != null;
                        default -> content != null;
                    };
                    if (seen) return reject(RejectReason.BAD_FIELD, "duplicate field '" + field + "'");
                    if (v != JsonToken.VALUE_STRING) return reject(RejectReason.BAD_FIELD, "'" + field + "' must be a string");
                    String s = p.getText();
                    switch (field) {
                        case "id" -> id = s;
                        case "pubkey" -> pubkey = s;
                        case "sig" -> sig = s;
                        default -> content = s;
                    }
                }
                case "created_at" -> {
                    if (createdAt != null) return reject(RejectReason.BAD_FIELD, "duplicate field 'created_at'");
                    if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                            || p.getLongValue() < 0) {
                        return reject(RejectReason.BAD_FIELD, "'created_at' must be a non-negative integer");
                    }
                    createdAt = p.getLongValue();
                }
                case "kind" -> {
                    if (kind != null) return reject(RejectReason.BAD_FIELD, "duplicate field 'kind'");
                    if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                            || p.getLongValue() < 0 || p.getLongValue() > 65535) {
                        return reject(RejectReason.BAD_FIELD, "'kind' must be an integer between 0 and 65535");
                    }
                    kind = p.getIntValue();
                }
                case "tags" -> {
                    if (tags != null) return reject(RejectReason.BAD_FIELD, "duplicate field 'tags'");
                    tags = parseTags(p, v);
                    if (tags == null) return reject(RejectReason.BAD_FIELD, "'tags' must be an array of arrays of strings");
                }
                default -> p.skipChildren(); // unknown fields are accepted and dropped
            }
        }
        if (t != JsonToken.END_OBJECT) return reject(RejectReason.MALFORMED_JSON, "malformed event object");
        if (id == null || pubkey == null || sig == null || content == null || createdAt == null || kind == null || tags == null) {
            return reject(RejectReason.BAD_FIELD, "missing field '" + firstMissing(id, pubkey, createdAt, kind, tags, content, sig) + "'");
        }
        byte[] idBytes = Hex.decodeLower(id, 32);
        if (idBytes == null) return reject(RejectReason.BAD_FIELD, "'id' must be 64 lowercase hex characters");
        byte[] pubBytes = Hex.decodeLower(pubkey, 32);
        if (pubBytes == null) return reject(RejectReason.BAD_FIELD, "'pubkey' must be 64 lowercase hex characters");
        byte[] sigBytes = Hex.decodeLower(sig, 64);
        if (sigBytes == null) return reject(RejectReason.BAD_FIELD, "'sig' must be 128 lowercase hex characters");

        byte[] computed;
        try {
            computed = EventJson.computeId(pubBytes, createdAt, kind, tags, content);
        } catch (IllegalArgumentException e) { // an escaped lone surrogate: no UTF-8 form, no agreed id
            return reject(RejectReason.INVALID_UTF8, "string holds an unpaired surrogate escape");
        }
        if (!Arrays.equals(computed, idBytes)) return reject(RejectReason.BAD_ID, "event id does not match the event's content");
        if (verifySignatures && !Schnorr.verify(sigBytes, idBytes, pubBytes)) {
            return reject(RejectReason.BAD_SIGNATURE, "signature verification failed");
        }
        byte[] json = EventJson.wire(idBytes, pubBytes, createdAt, kind, tags, content, sigBytes);
        return new ParseResult.Parsed(new Event(idBytes, pubBytes, sigBytes, createdAt, kind, tags, content, json));
    }

    private static List<List<String>> parseTags(JsonParser p, JsonToken start) throws IOException {
        if (start != JsonToken.START_ARRAY) {
            p.skipChildren();
            return null;
        }
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
                    skipRest(p);
                    skipRest(p);
                    return null;
                }
                tag.add(p.getText());
            }
            tags.add(List.copyOf(tag));
        }
        return List.copyOf(tags);
    }

    /** Skips to the end of the array the parser is inside. */
    private static void skipRest(JsonParser p) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) p.skipChildren();
    }

    private static String firstMissing(Object id, Object pubkey, Object createdAt, Object kind, Object tags, Object content, Object sig) {
        if (id == null) return "id";
        if (pubkey == null) return "pubkey";
        if (createdAt == null) return "created_at";
        if (kind == null) return "kind";
        if (tags == null) return "tags";
        if (content == null) return "content";
        return "sig";
    }

    /** Fast path for ASCII, a strict decoder (no overlongs, no surrogates) otherwise. */
    static boolean isValidUtf8(byte[] data, int off, int len) {
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

    private static ParseResult reject(RejectReason reason, String detail) {
        return new ParseResult.Rejected(Rejection.invalid(reason, detail));
    }
}
