package dev.tern.blob;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** BUD-12 pages: newest first with ties by hash, after the cursor, within since/until, at most limit. */
class ListPageTest {
    /** 500 blobs over 40 distinct upload times (many ties), in hash order as the store gives them. */
    static List<BlobIndex.Owned> owned() {
        Random r = new Random(7);
        List<BlobIndex.Owned> list = new ArrayList<>();
        for (int i = 0; i < 500; i++) list.add(new BlobIndex.Owned(String.format("%064x", r.nextLong() & Long.MAX_VALUE), 1000 + r.nextInt(40)));
        list.sort((a, b) -> a.sha256().compareTo(b.sha256()));
        return list;
    }

    static List<BlobIndex.Owned> page(List<BlobIndex.Owned> all, BlobIndex.Owned after, long since, long until, int limit) {
        ListPage p = new ListPage(after, since, until, limit);
        all.forEach(p::offer);
        return p.entries();
    }

    @Test
    void pagingWithTheCursorVisitsEveryBlobOnceInOrder() {
        List<BlobIndex.Owned> all = owned();
        List<BlobIndex.Owned> expected = new ArrayList<>(all);
        expected.sort(ListPage.ORDER);
        List<BlobIndex.Owned> seen = new ArrayList<>();
        BlobIndex.Owned cursor = null;
        for (List<BlobIndex.Owned> p; !(p = page(all, cursor, Long.MIN_VALUE, Long.MAX_VALUE, 37)).isEmpty(); cursor = p.get(p.size() - 1)) {
            assertEquals(Math.min(37, expected.size() - seen.size()), p.size());
            seen.addAll(p);
        }
        assertEquals(expected, seen);
    }

    @Test
    void sinceAndUntilBoundTheUploadTime() {
        List<BlobIndex.Owned> all = owned();
        List<BlobIndex.Owned> expected = all.stream().filter(o -> o.uploaded() >= 1010 && o.uploaded() <= 1020).sorted(ListPage.ORDER).toList();
        assertEquals(expected, page(all, null, 1010, 1020, 1000));
        assertEquals(expected.subList(0, 5), page(all, null, 1010, 1020, 5));
        assertEquals(List.of(), page(all, null, 2000, Long.MAX_VALUE, 10));
    }
}
