package dev.tern.sync.mirror;

import dev.tern.filter.Filter;
import dev.tern.filter.FilterLimits;
import dev.tern.filter.FilterParser;
import dev.tern.filter.FilterResult;
import dev.tern.sync.Direction;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads {@code TERN_MIRROR}: peers separated by {@code ;} or new lines, each {@code URL [down|up|both] [FILTER]},
 * e.g. {@code wss://a.example both; wss://b.example down {"kinds":[0,1,3]}}. One line fits an env file; a
 * {@code ;} inside the filter's JSON strings does not split. A mistake is an IllegalArgumentException whose
 * message names the peer and what is wrong, in one line.
 */
public final class MirrorSpec {
    private static final FilterParser FILTERS = new FilterParser(FilterLimits.EXPORT);

    private MirrorSpec() {}

    public static List<MirrorPeer> parse(String spec) {
        List<MirrorPeer> peers = new ArrayList<>();
        Set<URI> seen = new HashSet<>();
        int n = 0;
        for (String entry : entries(spec)) {
            n++;
            MirrorPeer peer;
            try {
                peer = peer(entry);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("TERN_MIRROR peer " + n + " (" + abbreviate(entry) + "): " + e.getMessage());
            }
            if (!seen.add(peer.url())) throw new IllegalArgumentException("TERN_MIRROR names " + peer.url() + " twice; give it one entry");
            peers.add(peer);
        }
        return List.copyOf(peers);
    }

    /** The entries, split at {@code ;} and new lines outside the filters' JSON strings, blank ones dropped. */
    private static List<String> entries(String spec) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inString = false, escaped = false;
        for (int i = 0; i < spec.length(); i++) {
            char c = spec.charAt(i);
            if (inString) {
                if (escaped) escaped = false;
                else if (c == '\\') escaped = true;
                else if (c == '"') inString = false;
            } else if (c == '"') {
                inString = true;
            } else if (c == ';' || c == '\n' || c == '\r') {
                if (!cur.toString().isBlank()) out.add(cur.toString().strip());
                cur.setLength(0);
                continue;
            }
            cur.append(c);
        }
        if (!cur.toString().isBlank()) out.add(cur.toString().strip());
        return out;
    }

    private static MirrorPeer peer(String entry) {
        int brace = entry.indexOf('{');
        String head = brace < 0 ? entry : entry.substring(0, brace);
        String filterJson = brace < 0 ? "{}" : entry.substring(brace).strip();
        String[] words = head.strip().split("\\s+");
        if (words.length > 2) throw new IllegalArgumentException("expected URL [down|up|both] [FILTER], got " + words.length + " words before the filter");
        URI url = url(words[0]);
        Direction direction = words.length < 2 ? Direction.DOWN : direction(words[1]);
        Filter filter = switch (FILTERS.parse(filterJson)) {
            case FilterResult.Ok<Filter> ok -> ok.value();
            case FilterResult.Error<Filter> err -> throw new IllegalArgumentException("filter: " + err.message());
        };
        return new MirrorPeer(url, direction, filter, filterJson);
    }

    private static URI url(String word) {
        URI url;
        try {
            url = new URI(word);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + e.getMessage());
        }
        if (!("ws".equals(url.getScheme()) || "wss".equals(url.getScheme())) || url.getHost() == null) {
            throw new IllegalArgumentException("the URL must be ws:// or wss:// with a host, got " + word);
        }
        return url;
    }

    private static Direction direction(String word) {
        try {
            return Direction.valueOf(word.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("direction must be down, up or both, got " + word);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
