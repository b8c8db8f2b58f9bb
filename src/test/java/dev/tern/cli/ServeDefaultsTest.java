package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tern.http.HttpTimeouts;
import dev.tern.relay.RelayConfig;
import dev.tern.relay.RelayLimits;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `tern serve` without options runs with the code's defaults: the options take theirs from the same constants. */
class ServeDefaultsTest {
    @Test
    void optionDefaultsAreTheRecordsDefaults() {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).setCaseInsensitiveEnumValuesAllowed(true).parseArgs();
        RelayConfig config = serve.relayConfig();
        assertEquals(RelayLimits.DEFAULTS, config.limits());
        assertEquals(HttpTimeouts.DEFAULTS, config.httpTimeouts());
    }
}
