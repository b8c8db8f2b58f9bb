package dev.tern.blob;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * One page of BUD-12's {@code GET /list/<pubkey>}: the owner's blobs newest first (ties by hash), after the
 * cursor's blob, uploaded within {@code since..until}, at most {@code limit}. The owner's records arrive in hash
 * order from the store and only the best {@code limit} are kept (a heap), so a page costs {@code limit}
 * entries of memory however many blobs the owner has.
 */
final class ListPage {
    /** BUD-12's order: newest first, then by hash. */
    static final Comparator<BlobIndex.Owned> ORDER = Comparator.comparingLong(BlobIndex.Owned::uploaded).reversed()
            .thenComparing(BlobIndex.Owned::sha256);

    private final BlobIndex.Owned after;
    private final long since;
    private final long until;
    private final int limit;
    /** The kept entries, the last in ORDER on top, so it is the one a better entry pushes out. */
    private final PriorityQueue<BlobIndex.Owned> kept;

    /** @param after the cursor's entry (the previous page's last), or null for the first page */
    ListPage(BlobIndex.Owned after, long since, long until, int limit) {
        this.after = after;
        this.since = since;
        this.until = until;
        this.limit = limit;
        this.kept = new PriorityQueue<>(limit, ORDER.reversed());
    }

    void offer(BlobIndex.Owned o) {
        if (o.uploaded() < since || o.uploaded() > until) return;
        if (after != null && ORDER.compare(o, after) <= 0) return;
        if (kept.size() < limit) kept.add(o);
        else if (ORDER.compare(o, kept.peek()) < 0) {
            kept.poll();
            kept.add(o);
        }
    }

    /** The page, in ORDER. */
    List<BlobIndex.Owned> entries() {
        List<BlobIndex.Owned> list = new ArrayList<>(kept);
        list.sort(ORDER);
        return list;
    }
}
