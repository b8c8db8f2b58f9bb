package dev.tern.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class SearchSettingsTest {
    @Test
    void extraKindsAddToTheDefaults() {
        assertEquals(Set.of(0, 1, 30023, 30402, 7), SearchSettings.kinds(" 30402, 7,,"));
        assertEquals(SearchSettings.DEFAULT_KINDS, SearchSettings.kinds(""));
    }

    @Test
    void badAndPrivateKindsAreRefusedByName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SearchSettings.kinds("1,x")).getMessage().contains("'x'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SearchSettings.kinds("70000")).getMessage().contains("70000"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SearchSettings.kinds("1059")).getMessage().contains("encrypted"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SearchSettings.kinds("4")).getMessage().contains("encrypted"));
    }
}
