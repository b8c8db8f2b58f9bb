package dev.tern.sync;

import dev.tern.filter.Filter;
import dev.tern.store.StoreSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The events of one store snapshot matching one filter, as negentropy items. The indexes give each range
 * newest first but, within one second, in write order; so the events of one second are gathered and sorted by
 * id. That group is all a scan holds, and it is capped: more events in one second are refused.
 */
public final class StoreItems implements ItemSource {
    private static final Comparator<Item> NEWEST_FIRST = Comparator.<Item>naturalOrder().reversed();
    private final StoreSnapshot snapshot;
    private final Filter filter;
    private final int maxPerSecond;

    public StoreItems(StoreSnapshot snapshot, Filter filter, int maxPerSecond) {
        this.snapshot = snapshot;
        this.filter = filter;
        this.maxPerSecond = maxPerSecond;
    }

    @Override
    public void scan(Bound lower, Bound upper, Visitor visitor) throws NegentropyException {
        long since = Math.max(lower.timestamp(), filter.since() == null ? 0 : filter.since());
        long until = upper.timestamp() == Bound.INFINITY_TIME ? Long.MAX_VALUE : upper.timestamp();
        if (filter.until() != null) until = Math.min(until, filter.until());
        if (since > until) return;
        Filter range = new Filter(filter.ids(), filter.authors(), filter.kinds(), filter.tags(), since, until, null);
        var group = new Object() {
            final List<Item> items = new ArrayList<>();
            boolean stopped;
            boolean tooMany;

            /** Visits the gathered second in protocol order; false once the visitor stopped. */
            boolean flush() {
                items.sort(NEWEST_FIRST);
                for (Item i : items) {
                    if (upper.isAbove(i) && !lower.isAbove(i) && !visitor.visit(i)) {
                        stopped = true;
                        break;
                    }
                }
                items.clear();
                return !stopped;
            }
        };
        snapshot.scan(range, (createdAt, id) -> {
            if (!group.items.isEmpty() && group.items.get(0).createdAt() != createdAt && !group.flush()) return false;
            if (group.items.size() == maxPerSecond) {
                group.tooMany = true;
                return false;
            }
            group.items.add(new Item(createdAt, id));
            return true;
        });
        if (group.tooMany) {
            throw new NegentropyException("blocked: more than " + maxPerSecond + " matching events share one created_at second");
        }
        if (!group.stopped) group.flush();
    }
}
