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

    @Test
    void anImportsOneThreadKeepsTheRestOfTheSettings() {
        SearchSettings all = new SearchSettings(true, SearchSettings.DEFAULT_KINDS, 4L << 20, 1L << 20, true);
        assertEquals(Runtime.getRuntime().availableProcessors(), all.threads());
        assertEquals(new SearchSettings(true, SearchSettings.DEFAULT_KINDS, 4L << 20, 1L << 20, true, 1), all.withThreads(1));
        assertThrows(IllegalArgumentException.class, () -> all.withThreads(0));
    }
}
