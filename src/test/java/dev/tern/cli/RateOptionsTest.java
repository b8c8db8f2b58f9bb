package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The rate settings: defaults, the new names, and the old names still working with a warning. */
class RateOptionsTest {
    @Test
    void defaultsWithoutWarnings() {
        RateOptions r = MixinParser.parse(new RateOptions());
        assertEquals(100.0, r.connectionEventsPerSecond());
        assertEquals(500, r.connectionEventBurst());
        assertEquals(256, r.ipMaxConnections());
        assertEquals(0, r.ipConnectionsPerMinute());
        assertEquals(0, r.ipEventsPerSecond());
        assertEquals(65_536, r.ipMaxTracked());
        assertEquals(List.of(), r.renamedInUse());
    }

    @Test
    void oldNamesStillWorkAndAreReported() {
        RateOptions r = MixinParser.parse(new RateOptions(), "--event-rate", "7", "--rate-events-per-second", "3", "--ip-max-connections", "9",
                "--max-connections-per-ip", "4");
        assertEquals(7.0, r.connectionEventsPerSecond());
        assertEquals(3, r.ipEventsPerSecond());
        assertEquals(9, r.ipMaxConnections(), "the new name wins");
        assertEquals(List.of(
                "TERN_EVENT_RATE (--event-rate) is renamed TERN_CONNECTION_EVENTS_PER_SECOND (--connection-events-per-second); the old name still works for now",
                "TERN_RATE_EVENTS_PER_SECOND (--rate-events-per-second) is renamed TERN_IP_EVENTS_PER_SECOND (--ip-events-per-second); the old name still works for now"),
                r.renamedInUse());
    }
}
