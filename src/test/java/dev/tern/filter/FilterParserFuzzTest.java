package dev.tern.filter;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target: filters from arbitrary bytes never throw; errors carry a NIP-01 prefix ("invalid:" or
 * "unsupported:"), and an accepted filter holds no list longer than the limits allow.
 */
class FilterParserFuzzTest {
    private static final int MAX = 100;
    private static final FilterParser PARSER = new FilterParser(new FilterLimits(MAX));

    @FuzzTest(maxDuration = "30s")
    void parse(byte[] data) {
        check(PARSER.parse(data));
    }

    private static void check(FilterResult<Filter> r) {
        switch (r) {
            case FilterResult.Error<Filter>(String message) ->
                    assertTrue(message.startsWith("invalid: ") || message.startsWith("unsupported: "), message);
            case FilterResult.Ok<Filter>(Filter f) -> {
                // the limits hold for every list a filter may carry
                assertTrue(f.ids() == null || f.ids().size() <= MAX, "ids");
                assertTrue(f.authors() == null || f.authors().size() <= MAX, "authors");
                assertTrue(f.kinds() == null || f.kinds().size() <= MAX, "kinds");
                for (var values : f.tags().values()) assertTrue(values.size() <= MAX, "tag values");
            }
        }
    }
}
