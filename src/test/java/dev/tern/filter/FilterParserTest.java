package dev.tern.filter;

import dev.tern.json.Json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tern.event.ByteKey;
import dev.tern.event.Event;
import dev.tern.event.Hex;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One test per NIP-01 filter rule. */
class FilterParserTest {
    private static final String A = "3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aaaefa459d";
    private static final String B = "5c83da77af1dec6d7289834998ad7aafbd9e2191396d75ec3cc27f5a77226f36";
    private static final FilterParser PARSER = new FilterParser(new FilterLimits(3));

    private static Filter ok(String json) {
        return switch (PARSER.parse(json)) {
            case FilterResult.Ok<Filter>(Filter f) -> f;
            case FilterResult.Error<Filter>(String message) -> fail(message);
        };
    }

    private static void error(String json, String message) {
        FilterResult<Filter> r = PARSER.parse(json);
        assertEquals(message, assertInstanceOf(FilterResult.Error.class, r, () -> r.toString()).message());
    }

    private static void errorStartsWith(String json, String prefix) {
        FilterResult<Filter> r = PARSER.parse(json);
        String m = assertInstanceOf(FilterResult.Error.class, r, () -> r.toString()).message();
        assertTrue(m.startsWith(prefix), m);
    }

    @Test
    void everyField() {
        Filter f = ok("{\"ids\":[\"" + B + "\"],\"authors\":[\"" + A + "\"],\"kinds\":[0,1,65535],\"#e\":[\"" + B
                + "\"],\"#t\":[\"nostr\",\"\"],\"#T\":[\"X\"],\"since\":10,\"until\":20,\"limit\":5}");
        assertEquals(Set.of(ByteKey.of(Hex.decode(B))), f.ids());
        assertEquals(Set.of(ByteKey.of(Hex.decode(A))), f.authors());
        assertEquals(Set.of(0, 1, 65535), f.kinds());
        assertEquals(Map.of('e', Set.of(B), 't', Set.of("nostr", ""), 'T', Set.of("X")), f.tags());
        assertEquals(10L, f.since());
        assertEquals(20L, f.until());
        assertEquals(5, f.limit());
    }

    @Test
    void emptyObjectMatchesEverything() {
        Filter f = ok(" {} ");
        assertNull(f.ids());
        assertNull(f.kinds());
        assertTrue(f.tags().isEmpty());
        assertFalse(f.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ids", "authors", "kinds", "#e", "#p", "#t"})
    void emptyListIsAcceptedAndMatchesNothing(String key) {
        Filter f = ok("{\"" + key + "\":[]}");
        assertTrue(f.isEmpty());
        Event e = Signer.sign(KeyPair.generate(new Random(1)), 1, 1, List.of(List.of("t", "x")), "");
        assertFalse(f.matches(e));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ids", "authors", "#e", "#p"})
    void hexListsNeedExact64LowercaseHex(String key) {
        String message = "invalid: '" + key + "' must be an array of 64-character lowercase hex strings";
        error("{\"" + key + "\":[\"" + A.toUpperCase() + "\"]}", message);
        error("{\"" + key + "\":[\"" + A.substring(1) + "\"]}", message);
        error("{\"" + key + "\":[\"" + A + "0\"]}", message);
        error("{\"" + key + "\":[\"" + A.substring(0, 8) + "\"]}", message); // NIP-01 dropped prefix matching
        error("{\"" + key + "\":[\"" + A + "\",1]}", message);
        error("{\"" + key + "\":[null]}", message);
    }

    @Test
    void kindsAreIntegersFrom0To65535() {
        String message = "invalid: 'kinds' must be an array of integers between 0 and 65535";
        for (String bad : new String[] {"-1", "65536", "1.0", "1e2", "\"1\"", "null", "[1]", "99999999999999999999"}) {
            error("{\"kinds\":[1," + bad + "]}", message);
        }
    }

    @Test
    void otherTagValuesMustBeStrings() {
        error("{\"#t\":[\"a\",1]}", "invalid: '#t' must be an array of strings");
        error("{\"#a\":[[\"x\"]]}", "invalid: '#a' must be an array of strings");
    }

    @ParameterizedTest
    @ValueSource(strings = {"#", "#ab", "#1", "#-", "#é", "e", "search", "ids ", "Kinds", "# e"})
    void unknownKeysAreUnsupported(String key) {
        error("{\"" + key + "\":[\"x\"]}", "unsupported: filter contains unknown elements ('" + key + "')");
    }

    @ParameterizedTest
    @ValueSource(strings = {"since", "until", "limit"})
    void scalarsAreNonNegativeIntegers(String key) {
        String message = "invalid: '" + key + "' must be a non-negative integer";
        for (String bad : new String[] {"-1", "1.5", "1e3", "\"10\"", "null", "[1]", "{}", "99999999999999999999"}) {
            error("{\"" + key + "\":" + bad + "}", message);
        }
        ok("{\"" + key + "\":0}");
    }

    @Test
    void limitZeroKeepsTheFilterLive() {
        Filter f = ok("{\"kinds\":[1],\"limit\":0}");
        assertEquals(0, f.limit());
        assertFalse(f.isEmpty()); // NIP-01: limit applies to the initial query only
    }

    @Test
    void hugeLimitIsClampedToIntMax() {
        assertEquals(Integer.MAX_VALUE, ok("{\"limit\":9999999999}").limit());
    }

    @Test
    void sinceAfterUntilMatchesNothing() {
        assertTrue(ok("{\"since\":20,\"until\":10}").isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ids", "authors", "kinds", "#e", "#t"})
    void listsMustBeArrays(String key) {
        for (String bad : new String[] {"\"" + A + "\"", "1", "null", "{}", "{\"a\":[1]}"}) {
            errorStartsWith("{\"" + key + "\":" + bad + "}", "invalid: '" + key + "' must be an array of");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"authors", "ids", "#p"})
    void tooManyValues(String key) {
        String four = "[\"" + A + "\",\"" + B + "\",\"" + A.replace('3', '4') + "\",\"" + B.replace('5', '6') + "\"]";
        error("{\"" + key + "\":" + four + "}", "invalid: too many values in '" + key + "' (max 3)");
        ok("{\"" + key + "\":[\"" + A + "\",\"" + B + "\",\"" + A + "\"]}");
        error("{\"kinds\":[1,2,3,4]}", "invalid: too many values in 'kinds' (max 3)");
        error("{\"#t\":[\"a\",\"b\",\"c\",\"d\"]}", "invalid: too many values in '#t' (max 3)");
    }

    @Test
    void duplicateKey() {
        error("{\"kinds\":[1],\"kinds\":[2]}", "invalid: duplicate key 'kinds' in filter");
        error("{\"#t\":[\"a\"],\"#t\":[\"b\"]}", "invalid: duplicate key '#t' in filter");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "1", "\"x\"", "null"})
    void notAnObject(String json) {
        error(json, "invalid: filter must be a JSON object");
    }

    @Test
    void malformedOrTrailingInput() {
        errorStartsWith("{\"kinds\":[1]", "invalid: malformed JSON");
        errorStartsWith("{\"kinds\":[1],}", "invalid: malformed JSON");
        error("{} {}", "invalid: trailing data after the filter");
        errorStartsWith("{\"x\":" + "[".repeat(100) + "]".repeat(100) + "}", "invalid: JSON too deeply nested");
        byte[] badUtf8 = {'{', '"', '#', 't', '"', ':', '[', '"', (byte) 0xc0, (byte) 0xaf, '"', ']', '}'};
        assertEquals(new FilterResult.Error<Filter>("invalid: filter is not valid UTF-8"), PARSER.parse(badUtf8));
    }

    @Test
    void parsedFiltersMatchEvents() {
        KeyPair k = KeyPair.generate(new Random(7));
        Event e = Signer.sign(k, 100, 1, List.of(List.of("e", B), List.of("t", "nostr"), List.of("t")), "hi");
        assertTrue(ok("{\"authors\":[\"" + k.publicKeyHex() + "\"],\"kinds\":[1],\"since\":100,\"until\":100}").matches(e));
        assertTrue(ok("{\"#e\":[\"" + B + "\"],\"#t\":[\"other\",\"nostr\"]}").matches(e));
        assertTrue(ok("{\"ids\":[\"" + e.idHex() + "\"],\"limit\":0}").matches(e));
        assertFalse(ok("{\"#t\":[\"Nostr\"]}").matches(e));
        assertFalse(ok("{\"#T\":[\"nostr\"]}").matches(e));
        assertFalse(ok("{\"kinds\":[1],\"since\":101}").matches(e));
        assertFalse(ok("{\"kinds\":[1],\"until\":99}").matches(e));
        assertFalse(ok("{\"authors\":[\"" + A + "\"]}").matches(e));
    }

    @Test
    void streamingParseLeavesTheParserAfterEachFilter() throws IOException {
        String req = "[\"REQ\",\"sub\",{\"kinds\":[1]},{\"kinds\":[-1],\"#t\":[[1]]},{\"search\":{\"a\":[1]}},{\"authors\":[1,2,3,4,5]},\"end\"]";
        try (JsonParser p = Json.parser(req.getBytes(StandardCharsets.UTF_8))) {
            p.nextToken();
            p.nextToken();
            p.nextToken();
            int ok = 0, errors = 0;
            while (p.nextToken() == JsonToken.START_OBJECT) {
                FilterResult<Filter> r = PARSER.parse(p);
                assertEquals(JsonToken.END_OBJECT, p.currentToken());
                if (r instanceof FilterResult.Ok) ok++; else errors++;
            }
            assertEquals("end", p.getText());
            assertEquals(1, ok);
            assertEquals(3, errors);
        }
    }
}
