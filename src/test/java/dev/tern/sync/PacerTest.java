package dev.tern.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The upload pace learnt from rate-limited answers, on a clock given by the test. */
class PacerTest {
    private static final long S = 1_000_000_000L;

    @Test
    void unpacedUntilTheFirstRateLimitedAnswerThenHalfTheRateSentInTheLastSecond() {
        Pacer p = new Pacer();
        long t = 5 * S;
        for (int i = 0; i < 400; i++) {
            assertEquals(t, p.nextAt(t), "unpaced: every event at once");
            p.sent(t);
        }
        t += S + S / 2; // the next second: 100 sent, then a refusal
        for (int i = 0; i < 100; i++) p.sent(t);
        p.limited(t);
        assertEquals(200.0, p.rate(), 1e-9, "half the 400 sent in the last whole second");
        assertEquals(t + S / 200, p.nextAt(t), "no burst: the next event after 1/200 s");
        p.limited(t + S / 2);
        assertEquals(200.0, p.rate(), 1e-9, "the answers to one burst cut the rate once");
        p.limited(t + S);
        assertEquals(100.0, p.rate(), 1e-9);
    }

    @Test
    void evenlySpacedOnceCutAndATenthFasterAfterEachSecondWithoutARefusal() {
        Pacer p = new Pacer();
        long t = 0;
        for (int i = 0; i < 4; i++) p.sent(t);
        p.limited(t);
        assertEquals(2.0, p.rate(), 1e-9);
        long at = p.nextAt(t);
        assertEquals(S / 2, at);
        p.sent(at);
        assertEquals(at + S / 2, p.nextAt(at), "spent: the next half a second later");
        p.accepted(at);
        assertEquals(2.0, p.rate(), 1e-9, "within a second of the cut: unchanged");
        p.accepted(S);
        assertEquals(2.2, p.rate(), 1e-9);
        p.accepted(S + S / 2);
        assertEquals(2.2, p.rate(), 1e-9, "at most once a second");
        p.accepted(2 * S);
        assertEquals(2.42, p.rate(), 1e-9);
    }

    @Test
    void neverSlowerThanOneEventASecond() {
        Pacer p = new Pacer();
        for (int i = 0; i < 20; i++) p.limited(i * S);
        assertEquals(1.0, p.rate(), 1e-9);
    }
}
