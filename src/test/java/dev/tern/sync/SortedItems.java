package dev.tern.sync;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** An in-memory item set for the protocol tests; counts its scans so tests can see the work done. */
final class SortedItems implements ItemSource {
    private final List<Item> newestFirst;
    int scans;

    SortedItems(Collection<Item> items) {
        this.newestFirst = new ArrayList<>(new TreeSet<>(items).descendingSet());
    }

    @Override
    public void scan(Bound lower, Bound upper, Visitor visitor) {
        scans++;
        for (Item item : newestFirst) {
            if (upper.isAbove(item) && !lower.isAbove(item) && !visitor.visit(item)) return;
        }
    }
}
