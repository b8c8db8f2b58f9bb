package dev.tern.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target: the event parser takes arbitrary bytes without throwing, every refusal carries the
 * NIP-01 "invalid:" prefix, and an accepted event's wire form parses again to the same bytes. Plain {@code mvn verify} replays the seeds in EventParserFuzzTestInputs/;
 * JAZZER_FUZZ=1 fuzzes (see README, Testing).
 */
class EventParserFuzzTest {
    private static final EventParser PARSER = new EventParser(true);

    @FuzzTest(maxDuration = "30s")
    void parse(byte[] data) {
        switch (PARSER.parse(data)) {
            case ParseResult.Rejected(Rejection rejection) ->
                    assertTrue(rejection.message().startsWith("invalid: "), rejection.message());
            case ParseResult.Parsed(Event e) -> {
                // the stored and served form is canonical: parsing it again changes nothing
                ParseResult.Parsed again = assertInstanceOf(ParseResult.Parsed.class, PARSER.parse(e.json()));
                assertArrayEquals(e.json(), again.event().json());
                assertArrayEquals(e.id(), again.event().id());
            }
        }
    }
}
