package dev.tern.store;

import dev.tern.event.Event;
import dev.tern.filter.Filter;

/**
 * Which stored events one reader may see. Every read path (query, count, export) drops the hidden ones
 * before limits and counts apply, so neither a short page nor a count gives away what was hidden.
 */
public interface Visibility {
    /** Every event is visible. */
    Visibility ALL = new Visibility() {
        @Override
        public boolean mayHideKind(int kind) { return false; }

        @Override
        public boolean visible(Event e) { return true; }
    };

    /** False if no event of this kind is ever hidden: such candidates need no check. */
    boolean mayHideKind(int kind);

    /** True if the reader may see {@code e}. */
    boolean visible(Event e);

    /** False if no event {@code f} matches is ever hidden, so its candidates are not loaded to be checked. */
    default boolean mayHide(Filter f) {
        if (this == ALL) return false;
        if (f.kinds() == null) return true;
        for (int k : f.kinds()) if (mayHideKind(k)) return true;
        return false;
    }
}
