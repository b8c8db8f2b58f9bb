package dev.tern.filter;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Fuzz target: filters from arbitrary bytes never throw; errors carry a NIP-01 prefix ("invalid:" or "unsupported:"). */
class FilterParserFuzzTest {
    private static final FilterParser PARSER = new FilterParser(new FilterLimits(100));

    @FuzzTest(maxDuration = "30s")
    void parse(byte[] data) {
        check(PARSER.parse(data));
    }

    private static void check(FilterResult<?> r) {
        assertNotNull(r);
        if (r instanceof FilterResult.Error<?>(String message)) assertTrue(message.startsWith("invalid: ") || message.startsWith("unsupported: "), message);
    }
}
