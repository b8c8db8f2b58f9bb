package dev.tern.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class KeysTest {
    static Stream<String> tagValues() {
        return Stream.of("", "nostr", "f".repeat(64), "F".repeat(64), "é ünïcode ✓", "x".repeat(255), "y".repeat(256),
                "ä".repeat(200), "0123456789abcdef".repeat(3) + "0123456789abcdeg");
    }

    @ParameterizedTest
    @MethodSource("tagValues")
    void tagIndexKeyIsTheTagPrefixFollowedByTheIndexSuffix(String value) {
        assertArrayEquals(Keys.indexKey(Keys.tagPrefix('p', value), 1_700_000_000L, 42),
                Keys.tagIndexKey('p', value, 1_700_000_000L, 42));
    }
}
