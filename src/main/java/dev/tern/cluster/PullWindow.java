package dev.tern.cluster;

import java.util.ArrayDeque;

/**
 * The bytes this node has asked the log for and not yet taken, so the entries waiting in the NATS client stay bounded.
 * A pull consumer that asks again as entries arrive (jnats' own consume loops do) lets the client's queue grow without
 * bound whenever the store applies slower than the log delivers: a 256 MB node catching up held 18,000 entries
 * there. Here a pull is asked only for what was taken: the window holds at most {@code windowBytes} asked and untaken
 * (plus, briefly, the rest of a pull the server has not yet expired). JetStream serves a consumer's pulls in order
 * and ends one whose remaining bytes the next entry does not fit, so an entry counts against the oldest pull it fits,
 * and the pulls before that one are over; a pull forgotten at its expiry asks for nothing more. Each pull asked is at
 * least half the window, so with a window of twice the largest entry every entry fits the pull after an ended one.
 */
final class PullWindow {
    /** A pull asked for: the bytes not yet taken, and when the server ends it. */
    private static final class Pull {
        final long endsAt;
        long left;

        Pull(long endsAt, long left) {
            this.endsAt = endsAt;
            this.left = left;
        }
    }

    private final long windowBytes;
    private final long lifeNanos;
    private final ArrayDeque<Pull> pulls = new ArrayDeque<>();

    PullWindow(long windowBytes, long lifeNanos) {
        this.windowBytes = windowBytes;
        this.lifeNanos = lifeNanos;
    }

    /** Counts an entry of {@code bytes} taken from the client's queue. */
    void taken(long bytes) {
        while (!pulls.isEmpty() && pulls.peekFirst().left < bytes) pulls.pollFirst(); // it did not fit: that pull ended
        if (pulls.isEmpty()) return;
        Pull p = pulls.peekFirst();
        p.left -= bytes;
        if (p.left == 0) pulls.pollFirst();
    }

    /**
     * The bytes to ask for now, zero for none; the caller sends a pull of that size living {@code lifeNanos}.
     * It asks when half the window is taken, or when the last pull ends (an idle log gets a new pull as the old expires).
     */
    long ask(long now) {
        while (!pulls.isEmpty() && pulls.peekFirst().endsAt - now <= 0) pulls.pollFirst();
        long open = 0;
        for (Pull p : pulls) open += p.left;
        if (open > windowBytes / 2 && !pulls.isEmpty()) return 0;
        long bytes = windowBytes - open;
        pulls.addLast(new Pull(now + lifeNanos, bytes));
        return bytes;
    }

    /** Nanoseconds until the newest pull ends: how long the reader may wait before asking again. */
    long untilEnd(long now) {
        return pulls.isEmpty() ? 0 : Math.max(0, pulls.peekLast().endsAt - now);
    }
}
