package dev.tern.store;

import dev.tern.event.Event;
import java.util.List;

/** Estimates of how much heap parsed events hold, for the byte bounds of the pipeline's queues. */
public final class EventSize {
    private EventSize() {}

    /**
     * The stored JSON plus the tag and content strings and their lists (Latin-1 strings take one byte a
     * character; each object about 40 bytes of header and fields).
     */
    public static long heapBytes(Event e) {
        long b = 200 + e.json().length + e.content().length();
        for (List<String> t : e.tags()) {
            b += 32;
            for (String s : t) b += 48 + s.length();
        }
        return b;
    }
}
