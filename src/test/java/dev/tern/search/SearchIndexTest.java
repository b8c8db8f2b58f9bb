package dev.tern.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.acl.DmPrivacy;
import dev.tern.event.ByteKey;
import dev.tern.event.Event;
import dev.tern.event.EventParser;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import dev.tern.filter.Filter;
import dev.tern.filter.FilterLimits;
import dev.tern.filter.FilterParser;
import dev.tern.filter.FilterResult;
import dev.tern.store.StoreWriter;
import dev.tern.store.EventStore;
import dev.tern.store.StoreConfig;
import dev.tern.store.Visibility;
import dev.tern.store.WriteOutcome;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.NIOFSDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index on a real store and writer: ranking, filters, removals, scripts, restarts, hostile queries. */
class SearchIndexTest {
    static final KeyPair ALICE = KeyPair.generate(new Random(1));
    static final KeyPair BOB = KeyPair.generate(new Random(2));
    static final long NOW = System.currentTimeMillis() / 1000;
    static final FilterParser PARSER = new FilterParser(new FilterLimits(100), true);

    @TempDir Path dir;
    EventStore store;
    StoreWriter writer;
    SearchIndex index;

    @BeforeEach
    void open() {
        store = EventStore.open(StoreConfig.forBudget(dir, 192));
        writer = new StoreWriter(store, StoreWriter.Settings.defaults(4L << 20));
        index = openIndex();
    }

    SearchIndex openIndex() {
        SearchSettings settings = new SearchSettings(true, SearchSettings.kinds("30402"), 4L << 20, 1L << 20, false);
        SearchIndex i = SearchIndex.open(SearchIndex.directoryIn(dir), settings, store);
        i.follow(writer);
        return i;
    }

    @AfterEach
    void close() {
        writer.close();
        index.close();
        store.close();
    }

    static Event note(KeyPair k, long createdAt, String content) {
        return Signer.sign(k, createdAt, 1, List.of(), content);
    }

    /** Writes through the writer and waits until the index can find what was committed. */
    List<WriteOutcome> write(Event... events) throws Exception {
        CompletableFuture<List<WriteOutcome>> done = new CompletableFuture<>();
        writer.put(List.of(events), null, (o, failure) -> {
            if (failure != null) done.completeExceptionally(failure);
            else done.complete(o);
        });
        List<WriteOutcome> outcomes = done.get(10, TimeUnit.SECONDS);
        awaitSearchable(store.writeSequence());
        return outcomes;
    }

    void awaitSearchable(long sequence) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (index.searchableSequence() < sequence) {
            assertTrue(System.nanoTime() < deadline, "the index did not reach sequence " + sequence);
            Thread.sleep(10);
        }
    }

    static Filter filter(String json) {
        return switch (PARSER.parse(json)) {
            case FilterResult.Ok<Filter>(Filter f) -> f;
            case FilterResult.Error<Filter>(String m) -> throw new AssertionError(m);
        };
    }

    List<String> search(String json) {
        Filter f = filter(json);
        return index.search(f, Visibility.ALL, f.limit() == null ? 100 : f.limit(), 1000).events().stream()
                .map(j -> EventParser.parseStored(j).content()).toList();
    }

    static String q(String search) {
        return "{\"search\":\"" + search.replace("\"", "\\\"") + "\"}";
    }

    @Test
    void thePhraseRanksAboveTheScatteredWords() throws Exception {
        write(note(ALICE, NOW - 30, "the orange cat sat on a purple mat near a window"),
                note(ALICE, NOW - 20, "orange juice for the cat"),
                note(BOB, NOW - 10, "we painted the door purple yesterday"));
        List<String> hits = search(q("orange cat"));
        assertEquals(2, hits.size(), hits.toString());
        assertEquals("the orange cat sat on a purple mat near a window", hits.get(0));
        assertEquals(List.of(), search(q("\"cat orange\"")), "a quoted phrase needs its words in order");
        assertEquals(List.of("the orange cat sat on a purple mat near a window"), search(q("\"orange cat sat\"")));
    }

    @Test
    void stemmingAndCaseFindOtherFormsOfAWord() throws Exception {
        write(note(ALICE, NOW, "Running relays is FUN"));
        assertEquals(1, search(q("run relay")).size());
        assertEquals(1, search(q("fun")).size());
    }

    @Test
    void theOtherConditionsOfTheFilterApply() throws Exception {
        write(note(ALICE, NOW - 100, "nostr apps are great"), note(BOB, NOW - 50, "nostr apps everywhere"),
                Signer.sign(BOB, NOW - 40, 30023, List.of(List.of("title", "Best nostr apps"), List.of("d", "apps")), "long read"),
                Signer.sign(ALICE, NOW - 30, 1, List.of(List.of("t", "apps")), "tagged nostr apps note"));
        assertEquals(4, search(q("nostr apps")).size());
        assertEquals(Set.of("nostr apps are great", "tagged nostr apps note"),
                Set.copyOf(search("{\"search\":\"nostr apps\",\"authors\":[\"" + ALICE.publicKeyHex() + "\"]}")));
        assertEquals(List.of("long read"), search("{\"search\":\"nostr apps\",\"kinds\":[30023]}"));
        assertEquals(List.of("tagged nostr apps note"), search("{\"search\":\"nostr apps\",\"#t\":[\"apps\"]}"));
        assertEquals(Set.of("tagged nostr apps note", "long read"),
                Set.copyOf(search("{\"search\":\"nostr apps\",\"since\":" + (NOW - 45) + "}")));
        assertEquals(List.of("nostr apps are great"), search("{\"search\":\"nostr apps\",\"until\":" + (NOW - 60) + "}"));
        assertEquals(1, search("{\"search\":\"nostr apps\",\"limit\":1}").size(), "limit applies after ranking");
    }

    @Test
    void profilesAreFoundByTheirFields() throws Exception {
        write(Signer.sign(ALICE, NOW, 0, List.of(), "{\"name\":\"alice\",\"about\":\"bakes sourdough bread\",\"picture\":\"https://x/bread.png\"}"));
        assertEquals(1, search(q("sourdough")).size());
        assertEquals(0, search(q("png")).size(), "only name, display_name, about and nip05 are searched");
    }

    @Test
    void profilesWithRawLineBreaksInTheirTextAreFoundByEveryField() throws Exception {
        write(Signer.sign(ALICE, NOW, 0, List.of(), "{\"about\":\"bakes\n\tsourdough\",\"nip05\":\"baker@example.com\"}"));
        assertEquals(1, search(q("sourdough")).size());
        assertEquals(1, search(q("baker")).size(), "the fields after the raw line break are searched too");
    }

    @Test
    void replacedDeletedAndExpiredEventsVanish() throws Exception {
        Event v1 = Signer.sign(ALICE, NOW - 10, 0, List.of(), "{\"name\":\"first\",\"about\":\"zebra keeper\"}");
        Event v2 = Signer.sign(ALICE, NOW - 5, 0, List.of(), "{\"name\":\"second\",\"about\":\"lion keeper\"}");
        Event doomed = note(BOB, NOW - 10, "walrus facts");
        long now = System.currentTimeMillis() / 1000;
        Event expiring = Signer.sign(BOB, NOW - 10, 1, List.of(List.of("expiration", Long.toString(now + 3))), "ephemeral walrus");
        write(v1, doomed, expiring);
        assertEquals(1, search(q("zebra")).size());
        assertEquals(2, search(q("walrus")).size());
        write(v2, Signer.sign(BOB, NOW, 5, List.of(List.of("e", doomed.idHex())), ""));
        assertEquals(0, search(q("zebra")).size(), "the replaced profile is gone");
        assertEquals(1, search(q("lion")).size());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!search(q("walrus")).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the deleted and expired notes should leave the results");
            Thread.sleep(100);
        }
    }

    @Test
    void hiddenEventsAreDroppedBeforeTheLimit() throws Exception {
        // a relay protecting kind 1 (TERN_PROTECTED_KINDS): a note is read only by the keys its p tags name
        Visibility bobReads = new DmPrivacy(Set.of(1)).visibility(Set.of(ByteKey.of(BOB.publicKey())));
        Event toAlice = Signer.sign(BOB, NOW - 10, 1, List.of(List.of("p", ALICE.publicKeyHex())), "secret heron heron heron");
        Event toBob = Signer.sign(ALICE, NOW - 20, 1, List.of(List.of("p", BOB.publicKeyHex())), "a heron and other birds at the lake");
        write(toAlice, toBob);
        Filter f = filter("{\"search\":\"heron\",\"limit\":1}");
        assertEquals(toAlice.idHex(), EventParser.parseStored(index.search(f, Visibility.ALL, 1, 1000).events().get(0)).idHex(),
                "the better match, for a reader who sees everything");
        assertEquals(List.of(toBob.idHex()), index.search(f, bobReads, 1, 1000).events().stream()
                .map(j -> EventParser.parseStored(j).idHex()).toList(), "the hidden hit does not take the one place");
    }

    @Test
    void cjkAndEmojiQueriesFindTheirEvents() throws Exception {
        write(note(ALICE, NOW - 3, "今日は東京で寿司を食べました"), note(ALICE, NOW - 2, "我喜欢学习中文"),
                note(BOB, NOW - 1, "good morning ☕ and 🌅 from nostr"), note(BOB, NOW, "한국어 공부를 합니다"));
        assertEquals(1, search(q("東京")).size());
        assertEquals(1, search(q("寿司")).size());
        assertEquals(1, search(q("中文")).size());
        assertEquals(1, search(q("☕")).size());
        assertEquals(1, search(q("🌅")).size());
        assertEquals(1, search(q("공부")).size());
        assertEquals(0, search(q("京都")).size());
    }

    @Test
    void queryOperatorsAreOnlyWords() throws Exception {
        write(note(ALICE, NOW - 2, "plain text about cats"), note(ALICE, NOW - 1, "text OR anything"));
        assertEquals(0, search(q("*:*")).size());
        assertEquals(0, search(q("c*")).size(), "no wildcards");
        assertEquals(0, search(q("cat~2 dog")).size(), "no fuzzy operator");
        assertEquals(List.of("text OR anything"), search(q("text:anything")), "a field name is a word");
        assertEquals(1, search(q("/cat.*/ plain")).size(), "a regex is split into words");
        assertEquals(2, search(q("text")).size());
        assertEquals(0, search(q("id:" + "0".repeat(64))).size());
    }

    @Test
    void badQueriesAreAnsweredOrRefusedWithAReason() throws Exception {
        write(note(ALICE, NOW, "quoted words stay words"));
        assertEquals(0, search(q("the and of")).size(), "only stop words: nothing to look for");
        assertEquals(1, search(q("\"quoted words")).size(), "an unbalanced quote runs to the end");
        assertEquals(1, search(q("quoted\\u0000\\u0007words")).size(), "control characters separate words");
        assertEquals(0, search(q("quoted language:xx")).size(), "an unlabelled note has no language");
        assertEquals(1, search(q("quoted include:spam sentiment:positive")).size(), "unsupported extensions are ignored");
        assertTrue(PARSER.parse(q("word ".repeat(10_000))) instanceof FilterResult.Error<Filter> e
                && e.message().startsWith("invalid: search is longer than"));
        assertTrue(PARSER.parse(q("a b c d e f g h i j k l m n o p q r s t u v w x y z a1 b1 c1 d1 e1 f1 g1"))
                instanceof FilterResult.Error<Filter> e && e.message().startsWith("invalid: search has more than"));
        assertTrue(PARSER.parse("{\"search\":42}") instanceof FilterResult.Error<Filter> e && e.message().startsWith("invalid:"));
        assertTrue(new FilterParser(new FilterLimits(100)).parse(q("x")) instanceof FilterResult.Error<Filter> e
                && e.message().startsWith("unsupported:"), "a parser not made for search refuses it");
    }

    @Test
    void aLanguageLabelRestrictsTheResults() throws Exception {
        write(Signer.sign(ALICE, NOW - 1, 1, List.of(List.of("L", "ISO-639-1"), List.of("l", "de", "ISO-639-1")), "hallo nostr"),
                note(ALICE, NOW, "hello nostr"));
        assertEquals(List.of("hallo nostr"), search(q("nostr language:de")));
        assertEquals(2, search(q("nostr")).size());
    }

    @Test
    void aReopenedIndexCatchesUpWithWhatTheStoreCommittedMeanwhile() throws Exception {
        write(note(ALICE, NOW - 2, "before the restart"));
        index.close();
        // the writer goes on without the index, as after a kill -9 of the indexer
        CompletableFuture<List<WriteOutcome>> done = new CompletableFuture<>();
        writer.put(List.of(note(BOB, NOW - 1, "while the index was closed")), null, (o, f) -> done.complete(o));
        done.get(10, TimeUnit.SECONDS);
        index = openIndex();
        awaitSearchable(store.writeSequence());
        assertEquals(1, search(q("restart")).size());
        assertEquals(1, search(q("closed")).size());
    }

    @Test
    void liveEventsAreMatchedLikeIndexedOnes() throws Exception {
        var m = index.matcher(filter(q("orange \"big cat\"")));
        assertTrue(m.test(note(ALICE, NOW, "a big cat, Orange")));
        assertTrue(!m.test(note(ALICE, NOW, "a cat, big and orange")));
        assertTrue(!m.test(Signer.sign(ALICE, NOW, 7, List.of(), "orange big cat")), "kind 7 is not indexed");
        assertTrue(index.matcher(filter(q("东京"))).test(note(ALICE, NOW, "我在东京")));
    }

    @Test
    void aBulkLoadThatWroteMostOfTheIndexLeavesItInOneSegment() throws Exception {
        for (int i = 0; i < 3; i++) write(note(ALICE, NOW - 10 + i, "segment " + i)); // each refresh flushes a segment
        index.close();
        int before = segments();
        assertTrue(before > 1, "segments: " + before);
        CompletableFuture<List<WriteOutcome>> done = new CompletableFuture<>();
        writer.put(List.of(note(BOB, NOW - 1, "segment 3")), null, (o, f) -> done.complete(o));
        done.get(10, TimeUnit.SECONDS);
        SearchSettings bulk = new SearchSettings(true, SearchSettings.kinds("30402"), 4L << 20, 1L << 20, true);
        try (SearchIndex small = SearchIndex.open(SearchIndex.directoryIn(dir), bulk, store)) {
            small.catchUp(n -> { });
        }
        assertTrue(segments() > before, "an import of a few events leaves the segments as they are");
        try (SearchIndex rebuilt = SearchIndex.open(SearchIndex.directoryIn(dir), bulk, store)) {
            rebuilt.clear();
            rebuilt.catchUp(n -> { });
        }
        assertEquals(1, segments(), "a reindex ends with one segment");
        index = openIndex();
        assertEquals(4, search(q("segment")).size());
    }

    int segments() throws Exception {
        try (Directory d = new NIOFSDirectory(SearchIndex.directoryIn(dir)); DirectoryReader r = DirectoryReader.open(d)) {
            return r.leaves().size();
        }
    }
}
