package dev.tern.search;

import dev.tern.event.ByteKey;
import dev.tern.filter.Filter;
import dev.tern.filter.Search;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.document.LongField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/**
 * Builds the Lucene queries of a NIP-50 filter, term by term (never Lucene's query parser, so nothing a client
 * types is an operator). Every word must match (a word the analysis splits, like a run of CJK characters,
 * as a phrase of its parts), every quoted phrase must match as a phrase, and the words side by side score
 * higher than scattered. The filter's ids, authors, kinds, since and until become non-scoring clauses on
 * indexed fields; its tags are checked on each candidate ({@link Filter#matches}). Extensions: {@code language:}
 * keeps events labelled with that ISO-639-1 code (NIP-32); the others are ignored, as NIP-50 allows.
 */
final class SearchQuery {
    /**
     * A search as two passes: {@code match} finds and ranks the candidates by their words (BM25, which Lucene
     * answers for a top k without scoring every match), then {@code proximity}, present when the search has
     * several words, adds to the score of only the best of them how closely the words stand in order: scored on
     * every match, positions and all, it cost a query with common words a read of every matching document.
     */
    record Plan(Query match, Query proximity) {}

    /** Most analyzed terms a query uses; the rest are ignored (bounds the work of one query). */
    static final int MAX_TERMS = 64;

    /** How much the words in order, close together, add to the score. */
    static final float PROXIMITY_BOOST = 2f;

    private SearchQuery() {}

    /** The queries, or null if the search holds nothing to look for (only stop words, or only operators). */
    static Plan of(Filter f, Analyzer analyzer) {
        Search s = f.search();
        BooleanQuery.Builder q = new BooleanQuery.Builder();
        int[] budget = {MAX_TERMS};
        boolean any = false;
        List<Positioned> allWords = new ArrayList<>();
        for (String w : s.words()) {
            List<Positioned> terms = analyze(analyzer, w, budget);
            if (terms.isEmpty()) continue;
            q.add(terms.size() == 1 ? new TermQuery(term(terms.get(0).text)) : phrase(terms, 0), Occur.MUST);
            for (Positioned t : terms) allWords.add(new Positioned(t.text, allWords.size()));
            any = true;
        }
        for (List<String> phrase : s.phrases()) {
            List<Positioned> terms = analyze(analyzer, String.join(" ", phrase), budget);
            if (terms.isEmpty()) continue;
            q.add(terms.size() == 1 ? new TermQuery(term(terms.get(0).text)) : phrase(terms, 0), Occur.MUST);
            any = true;
        }
        if (!any) return null;
        addFilters(q, f);
        return new Plan(q.build(), allWords.size() > 1 ? phrase(allWords, 2) : null);
    }

    /**
     * The same words and phrases tested on one event, for live events (which reach subscriptions without the
     * index): every word's terms and every phrase's terms must occur in the event's text in order, side by side.
     * The filter's other conditions are {@link Filter#matches}'s; the language extension needs the event's
     * NIP-32 label.
     */
    static java.util.function.Predicate<dev.tern.event.Event> matcher(Filter f, Analyzer analyzer, java.util.Set<Integer> kinds) {
        Search s = f.search();
        int[] budget = {MAX_TERMS};
        List<List<Positioned>> required = new ArrayList<>();
        for (String w : s.words()) required.add(analyze(analyzer, w, budget));
        for (List<String> p : s.phrases()) required.add(analyze(analyzer, String.join(" ", p), budget));
        required.removeIf(List::isEmpty);
        String language = s.extensions().get("language");
        return e -> {
            if (required.isEmpty() || !kinds.contains(e.kind())) return false;
            if (language != null && !hasLanguage(e, language)) return false;
            List<Positioned> text = analyze(analyzer, SearchDocuments.text(e), new int[] {Integer.MAX_VALUE});
            for (List<Positioned> r : required) if (!occurs(r, text)) return false;
            return true;
        };
    }

    private static boolean hasLanguage(dev.tern.event.Event e, String language) {
        for (List<String> t : e.tags()) {
            if (t.size() >= 3 && t.get(0).equals("l") && t.get(2).equals("ISO-639-1") && t.get(1).equalsIgnoreCase(language)) return true;
        }
        return false;
    }

    /** True if {@code terms} occur in {@code text} at the same distances from each other. */
    private static boolean occurs(List<Positioned> terms, List<Positioned> text) {
        for (int i = 0; i < text.size(); i++) {
            if (!text.get(i).text.equals(terms.get(0).text)) continue;
            int base = text.get(i).position;
            boolean all = true;
            for (int j = 1; j < terms.size() && all; j++) {
                int want = base + terms.get(j).position;
                all = false;
                for (int k = i + 1; k < text.size() && text.get(k).position <= want; k++) {
                    if (text.get(k).position == want && text.get(k).text.equals(terms.get(j).text)) all = true;
                }
            }
            if (all) return true;
        }
        return false;
    }

    private static void addFilters(BooleanQuery.Builder q, Filter f) {
        if (f.ids() != null) q.add(new TermInSetQuery(SearchDocuments.ID, bytes(f.ids())), Occur.FILTER);
        if (f.authors() != null) q.add(new TermInSetQuery(SearchDocuments.PUBKEY, bytes(f.authors())), Occur.FILTER);
        if (f.kinds() != null) {
            List<BytesRef> kinds = f.kinds().stream().map(k -> new BytesRef(Integer.toString(k))).toList();
            q.add(new TermInSetQuery(SearchDocuments.KIND, kinds), Occur.FILTER);
        }
        if (f.since() != null || f.until() != null) {
            long since = f.since() == null ? Long.MIN_VALUE : f.since();
            long until = f.until() == null ? Long.MAX_VALUE : f.until();
            q.add(LongField.newRangeQuery(SearchDocuments.CREATED_AT, since, until), Occur.FILTER);
        }
        String language = f.search().extensions().get("language");
        if (language != null) {
            q.add(new TermQuery(new Term(SearchDocuments.LANGUAGE, language.toLowerCase(Locale.ROOT))), Occur.FILTER);
        }
    }

    private static List<BytesRef> bytes(java.util.Set<ByteKey> keys) {
        List<BytesRef> out = new ArrayList<>(keys.size());
        for (ByteKey k : keys) out.add(new BytesRef(k.bytes()));
        return out;
    }

    private static Term term(String text) {
        return new Term(SearchDocuments.TEXT, text);
    }

    private static Query phrase(List<Positioned> terms, int slop) {
        PhraseQuery.Builder b = new PhraseQuery.Builder().setSlop(slop);
        for (Positioned t : terms) b.add(term(t.text), t.position);
        return b.build();
    }

    /** A term and its position in the analyzed text (stop words leave gaps). */
    private record Positioned(String text, int position) {}

    /** The analyzed terms of {@code text}, taking at most {@code budget[0]} of them (and counting them off). */
    private static List<Positioned> analyze(Analyzer analyzer, String text, int[] budget) {
        List<Positioned> out = new ArrayList<>();
        try (TokenStream ts = analyzer.tokenStream(SearchDocuments.TEXT, text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            PositionIncrementAttribute inc = ts.addAttribute(PositionIncrementAttribute.class);
            ts.reset();
            int position = -1;
            while (budget[0] > 0 && ts.incrementToken()) {
                position += inc.getPositionIncrement();
                out.add(new Positioned(term.toString(), position));
                budget[0]--;
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // analysis of a String does no I/O
        }
        if (!out.isEmpty() && out.get(0).position > 0) { // a leading stop word: positions count from the first term
            int first = out.get(0).position;
            out.replaceAll(p -> new Positioned(p.text, p.position - first));
        }
        return out;
    }
}
