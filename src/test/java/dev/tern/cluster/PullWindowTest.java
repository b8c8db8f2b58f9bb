package dev.tern.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    @Test
    void aPullTheNextEntryDoesNotFitHasEnded() {
        PullWindow w = new PullWindow(1_000, LIFE);
        assertEquals(1_000, w.ask(0));
        w.taken(400);
        assertEquals(0, w.ask(1));
        w.taken(300);
        assertEquals(700, w.ask(2), "300 left of the first pull, 300 asked for");
        w.taken(400); // does not fit the first pull's 300: the server ended it and served the second
        assertEquals(700, w.ask(3), "300 left of the second pull, not 600 of both");
        w.taken(300);
        assertEquals(0, w.ask(4), "the third pull's 700 is open");
    }

    /**
     * Against a server that serves pulls in order, whole entries only, and ends a pull the next entry does not fit
     * (JetStream's max_bytes): what is asked and not delivered stays within the window, and no entry waits while
     * no pull could take it (entries at most half the window).
     */
    @Property
    void boundedAndNeverStalled(@ForAll @Size(max = 300) List<@IntRange(min = 1, max = 500) Integer> entries) {
        PullWindow w = new PullWindow(1_000, LIFE);
        java.util.ArrayDeque<long[]> server = new java.util.ArrayDeque<>(); // the server's open pulls: bytes left
        long now = 0;
        for (int size : entries) {
            long ask = w.ask(now);
            if (ask > 0) server.addLast(new long[] {ask});
            long open = 0;
            for (long[] p : server) open += p[0];
            assertTrue(open <= 1_000, "asked and not delivered " + open);
            while (!server.isEmpty() && server.peekFirst()[0] < size) server.pollFirst(); // 409: ended
            assertFalse(server.isEmpty(), "an entry of " + size + " waits and no pull is open for it");
            server.peekFirst()[0] -= size;
            if (server.peekFirst()[0] == 0) server.pollFirst();
            w.taken(size);
            now += 10;
        }
    }
}
