package dev.tern.config;

import ch.qos.logback.core.PropertyDefinerBase;
import java.util.Locale;

/**
 * Tells logback.xml which log format to include: "json" when TERN_LOG_FORMAT says so (any case),
 * otherwise "text", so an empty or mistyped value still logs rather than silencing the process.
 */
public final class LogFormatDefiner extends PropertyDefinerBase {
    @Override
    public String getPropertyValue() {
        return formatOf(Env.get("TERN_LOG_FORMAT", "text"));
    }

    static String formatOf(String value) {
        return value.trim().toLowerCase(Locale.ROOT).equals("json") ? "json" : "text";
    }
}
