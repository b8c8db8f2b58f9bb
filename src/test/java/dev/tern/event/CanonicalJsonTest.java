package dev.tern.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** NIP-01 canonical serialization: {@code [0,pubkey,created_at,kind,tags,content]} with JSON.stringify escaping. */
class CanonicalJsonTest {
    private static final byte[] PUBKEY = Hex.decode("3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aaaefa459d");
    private static final String PREFIX = "[0,\"" + Hex.encode(PUBKEY) + "\",1700000000,1,";

    private static String canonical(List<List<String>> tags, String content) {
        return new String(EventJson.canonical(PUBKEY, 1_700_000_000L, 1, tags, content), StandardCharsets.UTF_8);
    }

    private static String contentJson(String content) {
        String c = canonical(List.of(), content);
        return c.substring(PREFIX.length() + "[],".length(), c.length() - 1);
    }

    @ParameterizedTest(name = "U+{0} -> {1}")
    @CsvSource(delimiter = ' ', value = {
            "000a \\n", "0022 \\\"", "005c \\\\", "000d \\r", "0009 \\t", "0008 \\b", "000c \\f",
            "0000 \\u0000", "0001 \\u0001", "000b \\u000b", "000e \\u000e", "001b \\u001b", "001f \\u001f"})
    void controlAndSpecialCharactersAreEscapedLikeJsonStringify(String codePoint, String escaped) {
        String c = Character.toString(Integer.parseInt(codePoint, 16));
        assertEquals("\"" + escaped + "\"", contentJson(c));
        assertEquals("\"a" + escaped + "b\"", contentJson("a" + c + "b"));
    }

    @Test
    void delAndLineSeparatorsAndSlashAreVerbatim() {
        assertEquals("\"\u007f\"", contentJson("\u007f"));
        assertEquals("\"\u2028\u2029\"", contentJson("\u2028\u2029"));
        assertEquals("\"a/b\"", contentJson("a/b"));
        assertArrayEquals(new byte[] {'"', (byte) 0xe2, (byte) 0x80, (byte) 0xa8, '"'},
                contentJson("\u2028").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void emojiAndCjkAreVerbatimUtf8() {
        String s = "日本語 🤙 😀 é";
        assertEquals("\"" + s + "\"", contentJson(s));
        byte[] canonical = EventJson.canonical(PUBKEY, 1_700_000_000L, 1, List.of(), "🤙");
        byte[] tail = {'"', (byte) 0xf0, (byte) 0x9f, (byte) 0xa4, (byte) 0x99, '"', ']'};
        assertArrayEquals(tail, java.util.Arrays.copyOfRange(canonical, canonical.length - tail.length, canonical.length));
    }

    @Test
    void emptyTagsAndContent() {
        assertEquals(PREFIX + "[],\"\"]", canonical(List.of(), ""));
        assertEquals(PREFIX + "[[]],\"\"]", canonical(List.of(List.of()), ""));
    }

    @Test
    void tagsAreEscapedLikeContent() {
        assertEquals(PREFIX + "[[\"e\",\"a\\nb\",\"\\\"q\\\"\"],[\"t\",\"日本\"]],\"x\"]",
                canonical(List.of(List.of("e", "a\nb", "\"q\""), List.of("t", "日本")), "x"));
    }

    @Test
    void canonicalBytesOfARealEventHashToItsId() {
        // The kind 1 event of nbd-wtf/go-nostr's event_test.go (also in events/real-events.jsonl).
        String content = "now that https://blueskyweb.org/blog/2-7-2022-overview was announced we can stop working on nostr?";
        byte[] canonical = EventJson.canonical(PUBKEY, 1644271588L, 1, List.of(), content);
        assertEquals("[0,\"" + Hex.encode(PUBKEY) + "\",1644271588,1,[],\"" + content + "\"]",
                new String(canonical, StandardCharsets.UTF_8));
        assertEquals("dc90c95f09947507c1044e8f48bcf6350aa6bff1507dd4acfc755b9239b5c962", Hex.encode(EventJson.sha256(canonical)));
        assertArrayEquals(EventJson.sha256(canonical), EventJson.computeId(PUBKEY, 1644271588L, 1, List.of(), content));
    }

    @Test
    void anUnpairedSurrogateHasNoCanonicalForm() {
        assertThrows(IllegalArgumentException.class, () -> canonical(List.of(), "a\ud800b"));
        assertThrows(IllegalArgumentException.class, () -> canonical(List.of(), "\udc00"));
        assertThrows(IllegalArgumentException.class, () -> canonical(List.of(List.of("t", "\ud83d")), ""));
    }

    @Test
    void wireFormHasTheSevenFieldsInNip01Order() {
        byte[] id = new byte[32];
        byte[] sig = new byte[64];
        String wire = new String(EventJson.wire(id, PUBKEY, 5, 7, List.of(List.of("e", "x")), "+", sig), StandardCharsets.UTF_8);
        assertEquals("{\"id\":\"" + "0".repeat(64) + "\",\"pubkey\":\"" + Hex.encode(PUBKEY)
                + "\",\"created_at\":5,\"kind\":7,\"tags\":[[\"e\",\"x\"]],\"content\":\"+\",\"sig\":\"" + "0".repeat(128) + "\"}", wire);
    }
}
