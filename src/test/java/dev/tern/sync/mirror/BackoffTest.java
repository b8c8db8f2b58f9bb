package dev.tern.sync.mirror;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesWithJitterInTheUpperHalfUpToTheMaximumAndStartsOverAfterAReset() {
        Backoff b = new Backoff(1_000, 60_000, new Random(7));
        long[] steps = {1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000};
        for (long step : steps) {
            long wait = b.next();
            assertTrue(wait >= step / 2 && wait <= step, wait + " outside [" + step / 2 + ", " + step + "]");
        }
        b.reset();
        assertTrue(b.next() <= 1_000);
        Backoff other = new Backoff(1_000, 60_000, new Random(8));
        long differing = 0;
        Backoff again = new Backoff(1_000, 60_000, new Random(7));
        for (int i = 0; i < 8; i++) if (again.next() != other.next()) differing++;
        assertTrue(differing > 0, "two peers' waits should differ (jitter)");
        Backoff long_ = new Backoff(1_000, 60_000, new Random(1));
        for (int i = 0; i < 100; i++) { // no overflow past 2^30 steps
            long wait = long_.next();
            assertTrue(wait >= 30_000 || i < 6, "attempt " + i + ": " + wait);
            assertTrue(wait <= 60_000, "attempt " + i + ": " + wait);
        }
    }
}
