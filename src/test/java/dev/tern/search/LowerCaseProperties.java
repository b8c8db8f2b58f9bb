package dev.tern.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.analysis.tokenattributes.TypeAttribute;

/**
 * {@link AsciiFirstLowerCaseFilter} gives exactly the tokens of Lucene's {@code LowerCaseFilter}: on one token holding
 * any text (every code point, unpaired surrogates too), and inside {@link SearchAnalyzer} against the same analyzer
 * with Lucene's filter in its place, so an index written before and after it is the same.
 */
class LowerCaseProperties {
    @Property(tries = 2000, edgeCases = EdgeCasesMode.MIXIN)
    void sameTokenAsLucene(@ForAll("text") String text) throws IOException {
        assertEquals(tokens(keyword(LowerCaseFilter::new), text), tokens(keyword(AsciiFirstLowerCaseFilter::new), text));
    }

    @Property(tries = 2000, edgeCases = EdgeCasesMode.MIXIN)
    void sameAnalysisAsLucene(@ForAll("text") String text) throws IOException {
        assertEquals(tokens(new SearchAnalyzer(LowerCaseFilter::new), text), tokens(new SearchAnalyzer(), text));
    }

    /** Every BMP character but the surrogates, in one token: the filter's bitmap against Lucene's case lookup. */
    @Example
    void sameTokenAsLuceneForEveryBmpCharacter() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int c = 0; c < 0x10000; c++) {
            if (!Character.isSurrogate((char) c)) text.append((char) c);
        }
        assertEquals(tokens(keyword(LowerCaseFilter::new), text.toString()), tokens(keyword(AsciiFirstLowerCaseFilter::new), text.toString()));
    }

    /** Code points weighted towards ASCII letters and words, with Latin-1, Greek, Turkish, CJK, emoji and lone surrogates. */
    @Provide
    Arbitrary<String> text() {
        Arbitrary<String> piece = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0, 0x7f).map(LowerCaseProperties::chars)),
                Tuple.of(3, Arbitraries.of("The ", "QUICK ", "Bitcoin's ", "coffee", " ", "\n", "İstanbul ", "ΣΟΦΊΑ ")),
                Tuple.of(2, Arbitraries.integers().between(0x80, 0x24f).map(LowerCaseProperties::chars)),
                Tuple.of(2, Arbitraries.integers().between(0x80, 0xffff).map(LowerCaseProperties::chars)),
                Tuple.of(1, Arbitraries.integers().between(0xd800, 0xdfff).map(LowerCaseProperties::chars)),
                Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10ffff).map(LowerCaseProperties::chars)),
                Tuple.of(1, Arbitraries.of(0x10400, 0x10428, 0x1e900, 0x1f600, 0xff21, 0xff41).map(LowerCaseProperties::chars)));
        return piece.list().ofMaxSize(40).map(pieces -> String.join("", pieces));
    }

    private static String chars(int codePoint) {
        return new String(Character.toChars(codePoint));
    }

    private static Analyzer keyword(Function<TokenStream, TokenStream> lowerCase) {
        return new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String field) {
                Tokenizer source = new KeywordTokenizer();
                return new TokenStreamComponents(source, lowerCase.apply(source));
            }
        };
    }

    /** Each token's text, offsets, position increment and type. */
    private static List<String> tokens(Analyzer analyzer, String text) throws IOException {
        List<String> out = new ArrayList<>();
        try (analyzer; TokenStream ts = analyzer.tokenStream("text", new StringReader(text))) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            OffsetAttribute offset = ts.addAttribute(OffsetAttribute.class);
            PositionIncrementAttribute increment = ts.addAttribute(PositionIncrementAttribute.class);
            TypeAttribute type = ts.addAttribute(TypeAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                out.add(term + " " + offset.startOffset() + "-" + offset.endOffset() + " +" + increment.getPositionIncrement() + " " + type.type());
            }
            ts.end();
        }
        return out;
    }
}
