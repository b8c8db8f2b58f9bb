package dev.tern.event;

import dev.tern.json.Json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** One test per NIP-01 rule the parser enforces; every rejection carries the NIP-01 "invalid:" prefix. */
class EventParserRejectionTest {
    private static final EventParser PARSER = new EventParser(true);
    private static final KeyPair KEYS = KeyPair.fromSecret(Hex.decode("b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfef"));
    private static final String E = "5c83da77af1dec6d7289834998ad7aafbd9e2191396d75ec3cc27f5a77226f36";
    private static final Event BASE = Signer.sign(KEYS, 1_700_000_000L, 1,
            List.of(List.of("e", E, "wss://nostr.example.com"), List.of("t", "nostr")), "hello");

    /** The base event's fields as raw JSON values, in NIP-01 order. */
    private static Map<String, String> fields(Event e) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", q(e.idHex()));
        f.put("pubkey", q(e.pubkeyHex()));
        f.put("created_at", Long.toString(e.createdAt()));
        f.put("kind", Integer.toString(e.kind()));
        f.put("tags", "[[\"e\",\"" + E + "\",\"wss://nostr.example.com\"],[\"t\",\"nostr\"]]");
        f.put("content", q(e.content()));
        f.put("sig", q(Hex.encode(e.sig())));
        return f;
    }

    private static String q(String s) { return "\"" + s + "\""; }

    private static String json(Map<String, String> f) {
        return f.entrySet().stream().map(en -> q(en.getKey()) + ":" + en.getValue()).collect(Collectors.joining(",", "{", "}"));
    }

    private static String with(String field, String rawValue) {
        Map<String, String> f = fields(BASE);
        f.put(field, rawValue);
        return json(f);
    }

    private static void assertRejected(String json, RejectReason reason, String detail) {
        assertRejected(json.getBytes(StandardCharsets.UTF_8), reason, detail);
    }

    private static void assertRejected(byte[] json, RejectReason reason, String detail) {
        ParseResult r = PARSER.parse(json);
        Rejection rej = assertInstanceOf(ParseResult.Rejected.class, r, () -> "accepted: " + r).rejection();
        assertEquals(reason, rej.reason(), rej.message());
        assertTrue(rej.message().startsWith("invalid: "), rej.message());
        assertTrue(rej.message().contains(detail), () -> rej.message() + " lacks " + detail);
    }

    private static Event assertParsed(String json) {
        ParseResult r = PARSER.parse(json.getBytes(StandardCharsets.UTF_8));
        return assertInstanceOf(ParseResult.Parsed.class, r, () -> r.toString()).event();
    }

    @Test
    void theBaseEventParses() {
        assertArrayEquals(BASE.json(), assertParsed(json(fields(BASE))).json());
        assertArrayEquals(BASE.json(), assertParsed(new String(BASE.json(), StandardCharsets.UTF_8)).json());
    }

    /** The store's trusted decode skips the id and signature checks but still refuses what is not an event. */
    @ParameterizedTest
    @ValueSource(strings = {"[]", "{", "{\"id\":\"00\"}", "{\"kind\":\"1\"}"})
    void storedFormThatIsNoEvent(String json) {
        assertThrows(IllegalArgumentException.class, () -> EventParser.parseStored(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void storedFormSkipsTheSignatureCheck() {
        Event wrongSig = EventParser.parseStored(with("sig", q("0".repeat(128))).getBytes(StandardCharsets.UTF_8));
        assertEquals(BASE, wrongSig);
        assertArrayEquals(new byte[64], wrongSig.sig());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"event\"", "1", "null", "true", "[{}]"})
    void notAnObject(String json) {
        assertRejected(json, RejectReason.MALFORMED_JSON, "must be a JSON object");
    }

    @Test
    void emptyInput() {
        assertRejected("", RejectReason.MALFORMED_JSON, "must be a JSON object");
    }

    @Test
    void truncatedObject() {
        String full = json(fields(BASE));
        assertRejected(full.substring(0, full.length() - 1), RejectReason.MALFORMED_JSON, "malformed JSON");
    }

    @ParameterizedTest
    @ValueSource(strings = {" {}", "{\"a\":1}", "x", "1", "[]", "\"\""})
    void trailingData(String tail) {
        assertRejected(json(fields(BASE)) + tail, RejectReason.MALFORMED_JSON, "");
    }

    @Test
    void trailingWhitespaceIsFine() {
        assertParsed(" \n" + json(fields(BASE)) + "\r\n\t ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"id", "pubkey", "created_at", "kind", "tags", "content", "sig"})
    void missingField(String field) {
        Map<String, String> f = fields(BASE);
        f.remove(field);
        assertRejected(json(f), RejectReason.BAD_FIELD, "missing field '" + field + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"id", "pubkey", "created_at", "kind", "tags", "content", "sig"})
    void duplicateField(String field) {
        String base = json(fields(BASE));
        String dup = base.substring(0, base.length() - 1) + "," + q(field) + ":" + fields(BASE).get(field) + "}";
        assertRejected(dup, RejectReason.BAD_FIELD, "duplicate field '" + field + "'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "id|1", "id|null", "id|[]", "id|{}", "id|true",
            "pubkey|1", "pubkey|null", "pubkey|[\"a\"]",
            "sig|1", "sig|null", "sig|{\"a\":1}",
            "content|1", "content|null", "content|[\"hello\"]", "content|false"})
    void stringFieldOfWrongType(String field, String value) {
        assertRejected(with(field, value), RejectReason.BAD_FIELD, "'" + field + "' must be a string");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"1700000000\"", "null", "[]", "{}", "true"})
    void createdAtOfWrongType(String value) {
        assertRejected(with("created_at", value), RejectReason.BAD_FIELD, "'created_at' must be an integer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"1\"", "null", "[1]", "{}"})
    void kindOfWrongType(String value) {
        assertRejected(with("kind", value), RejectReason.BAD_FIELD, "'kind' must be an integer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"[]\"", "null", "{}", "1"})
    void tagsOfWrongType(String value) {
        assertRejected(with("tags", value), RejectReason.BAD_FIELD, "'tags' must be an array of arrays of strings");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[\"e\"]", "[[\"e\"],\"t\"]", "[1]", "[null]", "[{}]"})
    void tagNotAnArray(String value) {
        assertRejected(with("tags", value), RejectReason.BAD_FIELD, "'tags' must be an array of arrays of strings");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[[\"e\",1]]", "[[\"e\",null]]", "[[\"e\",[\"x\"]]]", "[[\"e\",{}]]", "[[true]]",
            "[[\"t\",\"a\"],[\"e\",\"x\",2,\"y\"]]"})
    void tagElementNotAString(String value) {
        assertRejected(with("tags", value), RejectReason.BAD_FIELD, "'tags' must be an array of arrays of strings");
    }

    @ParameterizedTest
    @ValueSource(strings = {"id", "pubkey", "sig"})
    void uppercaseHex(String field) {
        String v = fields(BASE).get(field);
        assertRejected(with(field, v.toUpperCase()), RejectReason.BAD_FIELD, "'" + field + "' must be");
    }

    @ParameterizedTest
    @CsvSource({"id,63", "id,65", "id,0", "pubkey,62", "pubkey,66", "sig,127", "sig,130", "sig,64"})
    void wrongHexLength(String field, int length) {
        String v = "a".repeat(length);
        assertRejected(with(field, q(v)), RejectReason.BAD_FIELD, "'" + field + "' must be");
    }

    @ParameterizedTest
    @ValueSource(strings = {"id", "pubkey", "sig"})
    void nonHexCharacter(String field) {
        String v = fields(BASE).get(field);
        assertRejected(with(field, "\"g" + v.substring(2)), RejectReason.BAD_FIELD, "'" + field + "' must be");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "-1700000000", "1.5", "1700000000.0", "1.7e9", "1E3", "9007199254740992",
            "9223372036854775807", "9223372036854775808", "100000000000000000000000000000"})
    void createdAtNegativeFloatOrHuge(String value) {
        assertRejected(with("created_at", value), RejectReason.BAD_FIELD, "'created_at' must be an integer between 0 and 9007199254740991");
    }

    @Test
    void createdAtAtTheBoundsIsAccepted() {
        for (long t : new long[] {0, EventParser.MAX_CREATED_AT}) {
            Event e = Signer.sign(KEYS, t, 1, List.of(), "");
            assertEquals(t, assertParsed(new String(e.json(), StandardCharsets.UTF_8)).createdAt());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "65536", "4294967297", "1.0", "1e2", "99999999999999999999"})
    void kindOutOfRangeOrFloat(String value) {
        assertRejected(with("kind", value), RejectReason.BAD_FIELD, "'kind' must be an integer between 0 and 65535");
    }

    @Test
    void kindAtTheBoundsIsAccepted() {
        for (int k : new int[] {0, 65535}) {
            Event e = Signer.sign(KEYS, 1, k, List.of(), "");
            assertEquals(k, assertParsed(new String(e.json(), StandardCharsets.UTF_8)).kind());
        }
    }

    /** Raw bytes spliced into the content string of the base event. */
    @ParameterizedTest
    @CsvSource({
            "ff, lone invalid byte",
            "c3, truncated two-byte sequence",
            "80, stray continuation byte",
            "c0af, overlong '/'",
            "e080af, overlong three-byte '/'",
            "f08080af, overlong four-byte '/'",
            "eda080, encoded high surrogate U+D800",
            "edbfbf, encoded low surrogate U+DFFF",
            "eda0bdedb880, CESU-8 surrogate pair",
            "f4908080, above U+10FFFF",
            "f8888080, five-byte form"})
    void invalidUtf8(String hex, String what) throws IOException {
        String json = with("content", "\"a@b\"");
        int at = json.indexOf("a@b") + 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, at);
        out.write(Hex.decode(hex));
        out.write(b, at + 1, b.length - at - 1);
        assertRejected(out.toByteArray(), RejectReason.INVALID_UTF8, "not valid UTF-8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\ud800", "a\\udfffb", "\\ude00\\ud83d", "\\ud83d"})
    void escapedLoneSurrogateInContent(String escaped) {
        assertRejected(with("content", q(escaped)), RejectReason.INVALID_UTF8, "unpaired surrogate");
    }

    @Test
    void escapedLoneSurrogateInATag() {
        assertRejected(with("tags", "[[\"t\",\"\\ud800\"]]"), RejectReason.INVALID_UTF8, "unpaired surrogate");
    }

    @Test
    void escapedSurrogatePairIsTheCharacter() {
        Event e = Signer.sign(KEYS, 1, 1, List.of(), "🤙");
        String escaped = new String(e.json(), StandardCharsets.UTF_8).replace("🤙", "\\ud83e\\udd19");
        assertArrayEquals(e.json(), assertParsed(escaped).json());
    }

    @Test
    void rawControlCharacterInAStringIsMalformed() {
        assertRejected(with("content", "\"a\nb\""), RejectReason.MALFORMED_JSON, "malformed JSON");
    }

    @Test
    void deepNestingInAnUnknownField() {
        String deep = "[".repeat(100) + "]".repeat(100);
        String base = json(fields(BASE));
        assertRejected("{\"x\":" + deep + "," + base.substring(1), RejectReason.MALFORMED_JSON, "too deeply nested");
    }

    @Test
    void deepNestingInTags() {
        assertRejected(with("tags", "[".repeat(100) + "]".repeat(100)), RejectReason.MALFORMED_JSON, "too deeply nested");
    }

    @Test
    void idOfAnotherEvent() {
        Event other = Signer.sign(KEYS, 1_700_000_001L, 1, List.of(), "hello");
        assertRejected(with("id", q(other.idHex())), RejectReason.BAD_ID, "event id does not match");
    }

    @Test
    void signatureOfAnotherEvent() {
        Event other = Signer.sign(KEYS, 1_700_000_001L, 1, List.of(), "hello");
        assertRejected(with("sig", q(Hex.encode(other.sig()))), RejectReason.BAD_SIGNATURE, "signature verification failed");
        assertRejected(with("sig", q("0".repeat(128))), RejectReason.BAD_SIGNATURE, "signature verification failed");
    }

    @Test
    void pubkeyNotOnTheCurve() {
        // BIP-340 vector 14: the x coordinate exceeds the field size. The id is computed honestly, so
        // only the signature check can refuse it.
        byte[] pub = Hex.decode("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc30");
        byte[] id = EventJson.computeId(pub, 1, 1, List.of(), "");
        String json = new String(EventJson.wire(id, pub, 1, 1, List.of(), "", BASE.sig()), StandardCharsets.UTF_8);
        assertRejected(json, RejectReason.BAD_SIGNATURE, "signature verification failed");
    }

    @Test
    void unknownFieldsAreAcceptedAndDropped() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("seen_on", "[\"wss://a\",{\"b\":[1,2.5,null]}]");
        f.putAll(fields(BASE));
        f.put("extra", "{\"id\":\"not the id\",\"nested\":{\"deeper\":[[[]]]}}");
        f.put("z", "null");
        Event e = assertParsed(json(f));
        assertArrayEquals(BASE.json(), e.json());
        String stored = new String(e.json(), StandardCharsets.UTF_8);
        assertTrue(!stored.contains("seen_on") && !stored.contains("extra"), stored);
    }

    @Test
    void theFirstProblemIsReported() {
        Map<String, String> f = fields(BASE);
        f.put("kind", "-1");
        f.put("sig", "1");
        assertRejected(json(f), RejectReason.BAD_FIELD, "'kind'");
    }

    @Test
    void parseObjectLeavesTheParserOnTheEventsEndWhetherAcceptedOrNot() throws IOException {
        String[] events = {
                json(fields(BASE)), with("kind", "-1"), with("tags", "[[\"e\",[1,[2]]],[\"x\"]]"),
                with("id", "{\"a\":[1]}"), with("tags", "[\"a\",[\"b\"]]")};
        for (String event : events) {
            String message = "[\"EVENT\"," + event + ",\"after\"]";
            try (JsonParser p = Json.parser(message.getBytes(StandardCharsets.UTF_8))) {
                assertEquals(JsonToken.START_ARRAY, p.nextToken());
                assertEquals(JsonToken.VALUE_STRING, p.nextToken());
                assertEquals(JsonToken.START_OBJECT, p.nextToken());
                PARSER.parseObject(p);
                assertEquals(JsonToken.END_OBJECT, p.currentToken(), event);
                assertEquals(JsonToken.VALUE_STRING, p.nextToken());
                assertEquals("after", p.getText());
            }
        }
    }
}
