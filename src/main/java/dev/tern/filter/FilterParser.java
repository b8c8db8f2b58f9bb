package dev.tern.filter;

import dev.tern.json.Json;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.tern.event.ByteKey;
import dev.tern.event.EventParser;
import dev.tern.event.Hex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses NIP-01 filter objects with jackson-core's streaming parser. Rules (NIP-01 "From client to
 * relay"): {@code ids}, {@code authors}, {@code #e} and {@code #p} hold exact 64-character lowercase
 * hex; {@code kinds} integers 0..65535; {@code #x} keys use one letter a-zA-Z and string values;
 * {@code since}, {@code until}, {@code limit} are non-negative integers; every list is a JSON array (an
 * empty one is accepted and makes the filter match nothing, see {@link Filter#isEmpty()}). Any other
 * key is refused as "unsupported", as in NIP-01's CLOSED example, rather than silently widening the
 * filter; so is NIP-50's {@code search} unless the parser was made to accept it (the relay, with search
 * on). Bad input never throws from the byte[]/String methods. Thread-safe.
 */
public final class FilterParser {
    private static final String HEX64 = "64-character lowercase hex strings";

    private final FilterLimits limits;
    private final boolean acceptSearch;

    public FilterParser(FilterLimits limits) {
        this(limits, false);
    }

    /** With {@code acceptSearch}, a filter may hold a NIP-50 {@code search} string ({@link Search}). */
    public FilterParser(FilterLimits limits, boolean acceptSearch) {
        this.limits = limits;
        this.acceptSearch = acceptSearch;
    }

    public FilterResult<Filter> parse(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Parses one filter object that must fill {@code json} (whitespace around it is fine). */
    public FilterResult<Filter> parse(byte[] json) {
        if (!EventParser.isValidUtf8(json, 0, json.length)) return new FilterResult.Error<>("invalid: filter is not valid UTF-8");
        try (JsonParser p = Json.parser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return new FilterResult.Error<>("invalid: filter must be a JSON object");
            FilterResult<Filter> r = parse(p);
            if (p.nextToken() != null) return new FilterResult.Error<>("invalid: trailing data after the filter");
            return r;
        } catch (StreamConstraintsException e) {
            return new FilterResult.Error<>("invalid: JSON too deeply nested or too large");
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            int nl = m.indexOf('\n');
            return new FilterResult.Error<>("invalid: malformed JSON: " + (nl > 0 ? m.substring(0, nl) : m));
        }
    }

    /**
     * Parses the filter object whose START_OBJECT the parser has just read, as inside
     * {@code ["REQ", <id>, {...}, ...]}. Whatever the outcome, the parser is left on the object's
     * END_OBJECT. Throws only for malformed JSON, which the caller reports for the whole message.
     */
    public FilterResult<Filter> parse(JsonParser p) throws IOException {
        ObjectReader r = new ObjectReader();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if (r.error == null) r.read(p, key, v);
            p.skipChildren(); // a container value left unread (after an error)
        }
        return r.error != null ? new FilterResult.Error<>(r.error) : new FilterResult.Ok<>(r.filter());
    }

    /** Reads the keys of one filter object, keeping the first error. */
    private final class ObjectReader {
        Set<ByteKey> ids, authors;
        Set<Integer> kinds;
        final Map<Character, Set<String>> tags = new HashMap<>();
        Long since, until;
        Integer limit;
        Search search;
        final Set<String> seen = new HashSet<>();
        String error;

        void read(JsonParser p, String key, JsonToken v) throws IOException {
            if (!seen.add(key)) {
                error = "invalid: duplicate key '" + key + "' in filter";
                return;
            }
            switch (key) {
                case "ids" -> ids = list(p, v, key, HEX64, FilterParser::hex32);
                case "authors" -> authors = list(p, v, key, HEX64, FilterParser::hex32);
                case "kinds" -> kinds = list(p, v, key, "integers between 0 and 65535", FilterParser::kind);
                case "since" -> since = nonNegative(p, v, key);
                case "until" -> until = nonNegative(p, v, key);
                case "limit" -> {
                    Long n = nonNegative(p, v, key);
                    if (n != null) limit = (int) Math.min(n, Integer.MAX_VALUE); // relays cap it anyway
                }
                case "search" -> {
                    if (!acceptSearch) {
                        error = "unsupported: filter contains unknown elements ('search')";
                    } else if (v != JsonToken.VALUE_STRING) {
                        error = "invalid: 'search' must be a string";
                    } else {
                        switch (Search.parse(p.getText())) {
                            case FilterResult.Ok<Search>(Search s) -> search = s;
                            case FilterResult.Error<Search>(String message) -> error = message;
                        }
                    }
                }
                default -> {
                    if (!isTagKey(key)) {
                        error = "unsupported: filter contains unknown elements ('" + key + "')";
                        return;
                    }
                    char letter = key.charAt(1);
                    // NIP-01: the #e and #p lists MUST hold exact 64-character lowercase hex.
                    boolean hex = letter == 'e' || letter == 'p';
                    Set<String> values = hex ? list(p, v, key, HEX64, FilterParser::hex64String)
                            : list(p, v, key, "strings", FilterParser::string);
                    if (values != null) tags.put(letter, values);
                }
            }
        }

        Filter filter() {
            return new Filter(ids, authors, kinds, Map.copyOf(tags), since, until, limit, search);
        }

        /** The list's values, or null with {@code error} set and the parser on the list's END_ARRAY. */
        <T> Set<T> list(JsonParser p, JsonToken start, String key, String what, ValueReader<T> reader) throws IOException {
            if (start != JsonToken.START_ARRAY) {
                error = "invalid: '" + key + "' must be an array of " + what;
                return null;
            }
            List<T> values = new ArrayList<>();
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                T value = reader.read(p, t);
                if (value == null || values.size() == limits.maxValuesPerList()) {
                    error = value == null ? "invalid: '" + key + "' must be an array of " + what
                            : "invalid: too many values in '" + key + "' (max " + limits.maxValuesPerList() + ")";
                    p.skipChildren();
                    while (p.nextToken() != JsonToken.END_ARRAY) p.skipChildren();
                    return null;
                }
                values.add(value);
            }
            return Set.copyOf(values);
        }

        Long nonNegative(JsonParser p, JsonToken v, String key) throws IOException {
            if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER || p.getLongValue() < 0) {
                error = "invalid: '" + key + "' must be a non-negative integer";
                return null;
            }
            return p.getLongValue();
        }
    }

    /** One list element, or null if it has the wrong type or form. */
    private interface ValueReader<T> {
        T read(JsonParser p, JsonToken t) throws IOException;
    }

    private static ByteKey hex32(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.VALUE_STRING) return null;
        byte[] b = Hex.decodeLower(p.getText(), 32);
        return b == null ? null : ByteKey.of(b);
    }

    private static String hex64String(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.VALUE_STRING) return null;
        String s = p.getText();
        return Hex.isLowerHex(s, 64) ? s : null;
    }

    private static String string(JsonParser p, JsonToken t) throws IOException {
        return t == JsonToken.VALUE_STRING ? p.getText() : null;
    }

    private static Integer kind(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) return null;
        long k = p.getLongValue();
        return k >= 0 && k <= 65535 ? (int) k : null;
    }

    /** {@code #} followed by one English letter (NIP-01: single-letter a-zA-Z tags are the indexed ones). */
    private static boolean isTagKey(String key) {
        if (key.length() != 2 || key.charAt(0) != '#') return false;
        char c = key.charAt(1);
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
