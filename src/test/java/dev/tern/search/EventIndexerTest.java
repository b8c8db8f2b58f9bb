package dev.tern.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tern.event.ByteKey;
import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The indexer on a Lucene index of its own, with the store's answer to "is this id still held" given by the test. */
class EventIndexerTest {
    @TempDir Path dir;

    /** NIP-09: the store decides whether a deletion applied (its author's events only); the index follows it. */
    @Test
    void aDeletionRemovesOnlyWhatTheStoreNoLongerHolds() throws Exception {
        Event alices = SearchIndexTest.note(SearchIndexTest.ALICE, SearchIndexTest.NOW - 10, "walrus facts");
        Event bobs = SearchIndexTest.note(SearchIndexTest.BOB, SearchIndexTest.NOW - 10, "walrus myths");
        Set<ByteKey> held = new HashSet<>(Set.of(ByteKey.of(alices.id()), ByteKey.of(bobs.id())));
        try (Directory d = FSDirectory.open(dir);
             IndexWriter w = new IndexWriter(d, new IndexWriterConfig(new SearchAnalyzer()));
             EventIndexer indexer = new EventIndexer(w, SearchSettings.DEFAULT_KINDS, id -> held.contains(ByteKey.of(id)), a -> false, 2)) {
            indexer.apply(List.of(alices, bobs));
            assertEquals(2, documents(w));

            // Bob names Alice's note: the store keeps it, so the index does too
            indexer.apply(List.of(deletion(SearchIndexTest.BOB, alices)));
            assertEquals(2, documents(w));

            // Alice deletes her note: the store has removed it before the indexer sees the deletion
            held.remove(ByteKey.of(alices.id()));
            indexer.apply(List.of(deletion(SearchIndexTest.ALICE, alices)));
            assertEquals(1, documents(w));
        }
    }

    /** NIP-09 {@code a} tags: the address leaves the index once the store holds no version of it, and only then. */
    @Test
    void anAddressDeletionRemovesTheVersionOnlyOnceTheStoreHoldsNone() throws Exception {
        Event article = Signer.sign(SearchIndexTest.ALICE, SearchIndexTest.NOW - 10, 30023, List.of(List.of("d", "walrus")), "walrus facts");
        Event note = SearchIndexTest.note(SearchIndexTest.ALICE, SearchIndexTest.NOW - 10, "walrus myths");
        Set<String> held = new HashSet<>(Set.of(article.address()));
        try (Directory d = FSDirectory.open(dir);
             IndexWriter w = new IndexWriter(d, new IndexWriterConfig(new SearchAnalyzer()));
             EventIndexer indexer = new EventIndexer(w, SearchSettings.DEFAULT_KINDS, id -> true, held::contains, 1)) {
            indexer.apply(List.of(article, note));
            assertEquals(2, documents(w));

            // Bob names Alice's address: not his to delete
            indexer.apply(List.of(addressDeletion(SearchIndexTest.BOB, article.address())));
            assertEquals(2, documents(w));

            // Alice's deletion, but the store holds a version of the address (one newer than the deletion)
            indexer.apply(List.of(addressDeletion(SearchIndexTest.ALICE, article.address())));
            assertEquals(2, documents(w));

            // the store has removed the version: so does the index, and the note stays
            held.clear();
            indexer.apply(List.of(addressDeletion(SearchIndexTest.ALICE, article.address())));
            assertEquals(1, documents(w));
        }
    }

    private static Event addressDeletion(KeyPair k, String address) {
        return Signer.sign(k, SearchIndexTest.NOW, Event.DELETION_KIND, List.of(List.of("a", address)), "");
    }

    private static Event deletion(KeyPair k, Event target) {
        return Signer.sign(k, SearchIndexTest.NOW, Event.DELETION_KIND, List.of(List.of("e", target.idHex())), "");
    }

    private static int documents(IndexWriter w) throws Exception {
        try (DirectoryReader r = DirectoryReader.open(w)) {
            return new IndexSearcher(r).count(new MatchAllDocsQuery());
        }
    }
}
