package dev.tern.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.junit.jupiter.api.Test;

class LogFormatDefinerTest {
    @Test
    void choosesJsonOnlyWhenAskedAndTextOtherwise() {
        assertEquals("json", LogFormatDefiner.formatOf("json"));
        assertEquals("json", LogFormatDefiner.formatOf(" JSON "));
        assertEquals("text", LogFormatDefiner.formatOf("text"));
        assertEquals("text", LogFormatDefiner.formatOf(""));
        assertEquals("text", LogFormatDefiner.formatOf("jsn"));
    }

    @Test
    void bothFormatFilesShipInTheJar() {
        assertNotNull(getClass().getResource("/logback-text.xml"));
        assertNotNull(getClass().getResource("/logback-json.xml"));
    }
}
