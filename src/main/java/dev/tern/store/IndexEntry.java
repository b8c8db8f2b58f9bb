package dev.tern.store;

import dev.tern.event.Event;
import java.util.ArrayList;
import java.util.List;

/** One index key (and value) of a stored event; derived from the event alone, so removal can recompute them. */
record IndexEntry(Index index, byte[] key, byte[] value) {
    private static final byte[] EMPTY = new byte[0];

    static List<IndexEntry> of(Event e, long serial) {
        long t = e.createdAt();
        byte[] kind = Keys.kindPrefix(e.kind());
        List<IndexEntry> out = new ArrayList<>(5 + e.tags().size());
        // the kind and id in the value let a NIP-77 reconciliation read (created_at, id) items without the records
        out.add(new IndexEntry(Index.CREATED_AT, Keys.indexKey(EMPTY, t, serial), Keys.kindAndId(e.kind(), e.id())));
        out.add(new IndexEntry(Index.AUTHOR, Keys.indexKey(e.pubkey(), t, serial), EMPTY));
        out.add(new IndexEntry(Index.KIND, Keys.indexKey(kind, t, serial), EMPTY));
        out.add(new IndexEntry(Index.AUTHOR_KIND, Keys.indexKey(Keys.authorKindPrefix(e.pubkey(), e.kind()), t, serial), EMPTY));
        addTagEntries(e, t, serial, kind, out);
        return out;
    }

    /**
     * NIP-01: single-letter tags are indexed, by their first value only. A repeated tag gives the same key
     * twice, which the batch writes (or deletes) twice to the same effect: cheaper than a set per event.
     */
    private static void addTagEntries(Event e, long createdAt, long serial, byte[] kind, List<IndexEntry> out) {
        for (List<String> tag : e.tags()) {
            if (tag.size() >= 2 && Keys.isIndexedTagName(tag.get(0))) {
                out.add(new IndexEntry(Index.TAG, Keys.tagIndexKey(tag.get(0).charAt(0), tag.get(1), createdAt, serial), kind));
            }
        }
    }
}
