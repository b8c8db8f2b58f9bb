package dev.tern.search;

import java.io.IOException;
import org.apache.lucene.analysis.CharacterUtils;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * Lower-cases each token exactly as Lucene's {@code LowerCaseFilter} does ({@code Character.toLowerCase} per code
 * point), but without a case lookup for the characters lower-casing leaves alone: ASCII is folded in place, and of
 * the other characters of the Basic Multilingual Plane only those a bitmap marks as changed (Latin, Greek, Cyrillic
 * and a few other scripts' capitals; no Han, Hangul, kana, Arabic or Hebrew) are looked up. From a surrogate on, the
 * rest of the token takes Lucene's own code-point path. No BMP character lower-cases to a supplementary one, so a
 * changed character stays one char.
 */
final class AsciiFirstLowerCaseFilter extends TokenFilter {
    /** Bit c: {@code Character.toLowerCase(c) != c}, for every BMP character c (8 KB). */
    private static final long[] CHANGED = changedByLowerCase();

    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);

    AsciiFirstLowerCaseFilter(TokenStream in) {
        super(in);
    }

    @Override
    public boolean incrementToken() throws IOException {
        if (!input.incrementToken()) return false;
        char[] chars = term.buffer();
        int length = term.length();
        for (int i = 0; i < length; i++) {
            char c = chars[i];
            if (c < 0x80) {
                if (c >= 'A' && c <= 'Z') chars[i] = (char) (c + ('a' - 'A'));
            } else if (Character.isSurrogate(c)) {
                CharacterUtils.toLowerCase(chars, i, length);
                break;
            } else if ((CHANGED[c >>> 6] & (1L << c)) != 0) {
                chars[i] = Character.toLowerCase(c);
            }
        }
        return true;
    }

    private static long[] changedByLowerCase() {
        long[] bits = new long[0x10000 / 64];
        for (int c = 0; c < 0x10000; c++) {
            if (Character.toLowerCase(c) != c) bits[c >>> 6] |= 1L << c;
        }
        return bits;
    }
}
