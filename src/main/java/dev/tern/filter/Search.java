package dev.tern.filter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A NIP-50 {@code search} value, read as plain words and quoted phrases: never a query language, so no
 * client can ask for wildcards, fuzzy or regex matching, or name a field. Characters that query languages
 * treat as operators ({@code * : ( ) ^ ~ \ + - ! ? [ ] { } / |}) and control characters separate words.
 * A {@code key:value} token whose key is one of the NIP-50 extensions is kept apart in {@code extensions}
 * (the relay applies those it supports and ignores the rest, as NIP-50 asks); an unbalanced quote ends at
 * the end of the query.
 *
 * @param query      the value as the client sent it
 * @param words      the words outside quotes, in order
 * @param phrases    each quoted phrase's words, in order
 * @param extensions NIP-50 extensions by key (the last value of a key wins)
 */
public record Search(String query, List<String> words, List<List<String>> phrases, Map<String, String> extensions) {
    /** Longest accepted query, in characters: a person's search is far shorter, and it bounds the parsing work. */
    public static final int MAX_LENGTH = 512;
    /** Most words (in and out of phrases) one query may hold. */
    public static final int MAX_WORDS = 32;
    /** NIP-50 "Extensions". */
    static final Set<String> EXTENSIONS = Set.of("include", "domain", "language", "sentiment", "nsfw");

    public Search {
        words = List.copyOf(words);
        phrases = phrases.stream().map(List::copyOf).toList();
        extensions = Map.copyOf(extensions);
    }

    /** True if the query holds no word to look for (only extensions, operators or blanks). */
    public boolean isBlank() {
        return words.isEmpty() && phrases.isEmpty();
    }

    /** Parses {@code query}; an error names the limit it broke, with NIP-01's {@code invalid:} prefix. */
    public static FilterResult<Search> parse(String query) {
        if (query.length() > MAX_LENGTH) {
            return new FilterResult.Error<>("invalid: search is longer than " + MAX_LENGTH + " characters");
        }
        List<String> words = new ArrayList<>();
        List<List<String>> phrases = new ArrayList<>();
        Map<String, String> extensions = new LinkedHashMap<>();
        List<String> phrase = null;
        StringBuilder token = new StringBuilder();
        int count = 0;
        for (int i = 0; i <= query.length(); i++) {
            char c = i < query.length() ? query.charAt(i) : ' ';
            boolean quote = c == '"' && i < query.length();
            if (!quote && !Character.isWhitespace(c) && !Character.isISOControl(c)) {
                token.append(c);
                continue;
            }
            if (!token.isEmpty()) {
                String t = token.toString();
                token.setLength(0);
                int colon = t.indexOf(':');
                String key = colon > 0 ? t.substring(0, colon) : "";
                if (phrase == null && EXTENSIONS.contains(key) && colon < t.length() - 1) {
                    extensions.put(key, t.substring(colon + 1)); // NIP-50: key:value is an extension
                } else {
                    for (String w : splitOperators(t)) {
                        if (++count > MAX_WORDS) {
                            return new FilterResult.Error<>("invalid: search has more than " + MAX_WORDS + " words");
                        }
                        (phrase == null ? words : phrase).add(w);
                    }
                }
            }
            if (quote) {
                if (phrase == null) {
                    phrase = new ArrayList<>();
                } else {
                    if (!phrase.isEmpty()) phrases.add(phrase);
                    phrase = null;
                }
            }
        }
        if (phrase != null && !phrase.isEmpty()) phrases.add(phrase); // an unbalanced quote runs to the end
        return new FilterResult.Ok<>(new Search(query, words, phrases, extensions));
    }

    /** The parts of {@code token} between query-language operator characters. */
    private static List<String> splitOperators(String token) {
        List<String> parts = new ArrayList<>(1);
        int start = 0;
        for (int i = 0; i <= token.length(); i++) {
            if (i == token.length() || "*:()^~\\+-!?[]{}/|&".indexOf(token.charAt(i)) >= 0) {
                if (i > start) parts.add(token.substring(start, i));
                start = i + 1;
            }
        }
        return parts;
    }
}
