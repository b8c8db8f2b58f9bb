package dev.tern.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import java.util.List;
import org.junit.jupiter.api.Test;

class PullWindowTest {
    private static final long LIFE = 5_000;

    @Test
    void asksForTheWholeWindowFirstAndAgainOnlyWhenHalfIsTaken() {
        PullWindow w = new PullWindow(1_000, LIFE);
        assertEquals(1_000, w.ask(0));
        assertEquals(0, w.ask(1), "nothing taken: nothing more asked");
        w.taken(400);
        assertEquals(0, w.ask(2), "600 still asked and not taken");
        w.taken(100);
        assertEquals(500, w.ask(3), "half taken: asks for what was taken");
        w.taken(1_000);
        assertEquals(1_000, w.ask(4));
    }

    @Test
    void anIdleLogGetsANewPullAsTheOldEnds() {
        PullWindow w = new PullWindow(1_000, LIFE);
        assertEquals(1_000, w.ask(0));
        assertEquals(LIFE - 100, w.untilEnd(100));
        assertEquals(0, w.ask(LIFE - 1));
        assertEquals(1_000, w.ask(LIFE), "the pull ended untaken: a new one");
    }

    /** Whatever arrives and whenever the reader asks, what it asked for and has not taken stays within the window. */
    @Property
    void askedAndNotTakenStaysWithinTheWindow(@ForAll @Size(max = 200) List<@IntRange(min = 0, max = 700) Integer> entries) {
        PullWindow w = new PullWindow(1_000, LIFE);
        long asked = 0, takenTotal = 0, now = 0;
        for (int size : entries) {
            asked += w.ask(now);
            long open = asked - takenTotal;
            assertTrue(open <= 1_000, "open " + open);
            long take = Math.min(size, open); // the server delivers no more than was asked
            w.taken(take);
            takenTotal += take;
            now += 10;
        }
    }
}
