package dev.tern.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The stall rule on a made-up clock: only time spent waiting for bytes counts. */
class StallMeterTest {
    private static final long S = 1_000_000_000L;

    private static StallMeter meter(long minBytesPerSecond) {
        return new StallMeter(new HttpTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(30), minBytesPerSecond));
    }

    @Test
    void silenceWhileWaitingStallsAfterTheWindow() {
        StallMeter m = meter(1024);
        m.waiting(0);
        assertEquals(30 * S, m.nanosUntilDue(0));
        assertNull(m.stalled(29 * S));
        assertEquals("nothing received for 30 s", m.stalled(30 * S));

        StallMeter noRate = meter(0);
        noRate.waiting(0);
        assertNull(noRate.stalled(29 * S));
        assertEquals("nothing received for 30 s", noRate.stalled(30 * S));
    }

    @Test
    void timeTheRelayPausedReadingDoesNotCount() {
        StallMeter m = meter(1024);
        m.waiting(0);
        m.received(1 * S, 1000);
        m.notWaiting(10 * S);       // the import's pipe is full: the relay stops reading
        m.waiting(3_600 * S);       // an hour later it reads again
        assertNull(m.stalled(3_610 * S));
        assertEquals(10 * S, m.nanosUntilDue(3_610 * S)); // 20 s of waiting so far
        assertEquals("fewer than 1024 bytes/s for 30 s", m.stalled(3_620 * S));
    }

    @Test
    void aTrickleFailsTheRateButNotTheIdleRule() {
        StallMeter m = meter(1024);
        StallMeter noRate = meter(0);
        m.waiting(0);
        noRate.waiting(0);
        for (long t = 5; t <= 60; t += 5) {
            m.received(t * S, 1);
            noRate.received(t * S, 1);
            assertNull(noRate.stalled(t * S));
            if (t < 30) assertNull(m.stalled(t * S));
        }
        assertEquals("fewer than 1024 bytes/s for 30 s", m.stalled(60 * S));
    }

    @Test
    void aSteadyBodyStartsAFreshWindowAndStallsOnlyWhenItStops() {
        StallMeter m = meter(1024);
        m.waiting(0);
        for (long t = 1; t <= 90; t++) {
            m.received(t * S, 2048);
            assertNull(m.stalled(t * S), "second " + t);
        }
        // silence from 90 s (the window that began at 60 s had 30 s * 2048 bytes)
        assertNull(m.stalled(119 * S));
        assertEquals("nothing received for 30 s", m.stalled(120 * S));
    }

    @Test
    void windowsShorterThanASecondAreNamedExactly() {
        StallMeter m = new StallMeter(new HttpTimeouts(Duration.ofSeconds(1), Duration.ofMillis(1500), 100));
        m.waiting(0);
        m.received(S, 149);
        assertEquals("fewer than 100 bytes/s for 1.5 s", m.stalled(S * 3 / 2));
    }
}
