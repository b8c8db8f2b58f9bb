package dev.tern.search;

import java.util.function.UnaryOperator;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.cjk.CJKBigramFilter;
import org.apache.lucene.analysis.cjk.CJKWidthFilter;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;

/**
 * The text analysis of indexed events and of queries alike. Unicode word breaks (UAX#29) split every
 * script and keep each emoji as a token of its own; full- and half-width forms are folded; Chinese,
 * Japanese and Korean runs, which have no spaces, become overlapping character pairs (a lone character
 * stays one token), so any two-character word is found; English loses possessives, stop words and
 * suffixes (Porter), which leave other scripts as they are.
 */
public final class SearchAnalyzer extends Analyzer {
    private final UnaryOperator<TokenStream> lowerCase;

    public SearchAnalyzer() {
        this(AsciiFirstLowerCaseFilter::new);
    }

    /** With another lower-casing filter in the same place of the chain: the test compares it with Lucene's. */
    SearchAnalyzer(UnaryOperator<TokenStream> lowerCase) {
        this.lowerCase = lowerCase;
    }

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
        StandardTokenizer source = new StandardTokenizer();
        source.setMaxTokenLength(64); // longer "words" (hashes, base64) are split; they are not what people search
        TokenStream t = new CJKWidthFilter(source);
        t = lowerCase.apply(t);
        t = new CJKBigramFilter(t);
        t = new EnglishPossessiveFilter(t);
        t = new StopFilter(t, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
        t = new PorterStemFilter(t);
        return new TokenStreamComponents(source, t);
    }

    @Override
    protected TokenStream normalize(String fieldName, TokenStream in) {
        return lowerCase.apply(new CJKWidthFilter(in));
    }
}
