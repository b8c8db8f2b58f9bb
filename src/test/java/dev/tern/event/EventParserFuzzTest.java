package dev.tern.event;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target: the event parser takes arbitrary bytes without throwing, and every refusal carries the
 * NIP-01 "invalid:" prefix. Plain {@code mvn verify} replays the seeds in EventParserFuzzTestInputs/;
 * JAZZER_FUZZ=1 fuzzes (see README, Testing).
 */
class EventParserFuzzTest {
    private static final EventParser PARSER = new EventParser(true);

    @FuzzTest(maxDuration = "30s")
    void parse(byte[] data) {
        ParseResult r = PARSER.parse(data);
        assertNotNull(r);
        if (r instanceof ParseResult.Rejected(Rejection rejection)) {
            assertTrue(rejection.message().startsWith("invalid: "), rejection.message());
        }
    }
}
