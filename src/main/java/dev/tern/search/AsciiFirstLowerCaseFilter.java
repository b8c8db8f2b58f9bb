package dev.tern.search;

import java.io.IOException;
import org.apache.lucene.analysis.CharacterUtils;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * Lower-cases each token exactly as Lucene's {@code LowerCaseFilter} does ({@code Character.toLowerCase} per code
 * point), but steps over ASCII characters without its code-point reads and case lookups, and hands the rest of a
 * token to the same code-point path from its first non-ASCII character on: most tokens are ASCII words.
 */
final class AsciiFirstLowerCaseFilter extends TokenFilter {
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
            if (c >= 0x80) {
                CharacterUtils.toLowerCase(chars, i, length);
                break;
            }
            if (c >= 'A' && c <= 'Z') chars[i] = (char) (c + ('a' - 'A'));
        }
        return true;
    }
}
