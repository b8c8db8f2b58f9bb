package dev.tern.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Signed random events survive parse and re-serialization, hash what JSON.stringify would produce, and
 * decode from their stored form to the same event.
 */
class EventRoundTripProperties {
    private static final KeyPair KEYS = KeyPair.generate(new Random(42));
    private static final EventParser PARSER = new EventParser(true);

    @Property(tries = 300, edgeCases = EdgeCasesMode.MIXIN)
    void signedEventsRoundTrip(@ForAll @LongRange(min = 0, max = EventParser.MAX_CREATED_AT) long createdAt,
                               @ForAll @IntRange(min = 0, max = 65535) int kind,
                               @ForAll("tags") List<List<String>> tags,
                               @ForAll("text") String content,
                               @ForAll long auxSeed) {
        Event signed = Signer.sign(KEYS, createdAt, kind, tags, content, new Random(auxSeed));

        Event parsed = assertInstanceOf(ParseResult.Parsed.class, PARSER.parse(signed.json())).event();
        assertEquals(signed, parsed);
        assertArrayEquals(signed.json(), parsed.json());
        assertEquals(tags, parsed.tags());
        assertEquals(content, parsed.content());
        assertEquals(createdAt, parsed.createdAt());
        assertEquals(kind, parsed.kind());

        Event stored = EventParser.parseStored(parsed.json()); // the store's trusted decode gives the same event
        assertEquals(parsed, stored);
        assertArrayEquals(parsed.pubkey(), stored.pubkey());
        assertArrayEquals(parsed.sig(), stored.sig());
        assertEquals(List.of(createdAt, kind, tags, content), List.of(stored.createdAt(), stored.kind(), stored.tags(), stored.content()));
        assertArrayEquals(parsed.json(), stored.json());

        byte[] reference = ReferenceJson.canonical(KEYS.publicKeyHex(), createdAt, kind, tags, content);
        assertArrayEquals(reference, EventJson.canonical(KEYS.publicKey(), createdAt, kind, tags, content));
        assertArrayEquals(EventJson.sha256(reference), parsed.id());
    }

    @Provide
    Arbitrary<List<List<String>>> tags() {
        return text().list().ofMaxSize(4).list().ofMaxSize(5);
    }

    /** Any Unicode scalar value, weighted towards the characters that need escaping. */
    @Provide
    Arbitrary<String> text() {
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(0, 0x7f)),
                Tuple.of(3, Arbitraries.of(0x00, 0x08, 0x09, 0x0a, 0x0c, 0x0d, 0x1f, 0x22, 0x2f, 0x5c, 0x7f, 0x2028, 0x2029)),
                Tuple.of(2, Arbitraries.integers().between(0x80, 0xffff).filter(c -> c < 0xd800 || c > 0xdfff)),
                Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10ffff)));
        return codePoint.list().ofMaxSize(30).map(cps -> {
            StringBuilder sb = new StringBuilder();
            cps.forEach(sb::appendCodePoint);
            return sb.toString();
        });
    }

    /** An independent encoder written from NIP-01 and ECMAScript's JSON.stringify (QuoteJSONString). */
    static final class ReferenceJson {
        static byte[] canonical(String pubkeyHex, long createdAt, int kind, List<List<String>> tags, String content) {
            StringBuilder sb = new StringBuilder("[0,").append(quote(pubkeyHex)).append(',').append(createdAt)
                    .append(',').append(kind).append(",[");
            for (int i = 0; i < tags.size(); i++) {
                if (i > 0) sb.append(',');
                sb.append('[');
                for (int j = 0; j < tags.get(i).size(); j++) {
                    if (j > 0) sb.append(',');
                    sb.append(quote(tags.get(i).get(j)));
                }
                sb.append(']');
            }
            sb.append("],").append(quote(content)).append(']');
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }

        static String quote(String s) {
            StringBuilder sb = new StringBuilder("\"");
            s.codePoints().forEach(c -> {
                switch (c) {
                    case 0x08 -> sb.append("\\b");
                    case 0x09 -> sb.append("\\t");
                    case 0x0a -> sb.append("\\n");
                    case 0x0c -> sb.append("\\f");
                    case 0x0d -> sb.append("\\r");
                    case 0x22 -> sb.append("\\\"");
                    case 0x5c -> sb.append("\\\\");
                    default -> {
                        if (c < 0x20) sb.append(String.format("\\u%04x", c));
                        else sb.appendCodePoint(c);
                    }
                }
            });
            return sb.append('"').toString();
        }
    }
}
