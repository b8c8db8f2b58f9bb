package dev.tern.acl;

import dev.tern.event.ByteKey;
import dev.tern.event.Event;
import dev.tern.event.Hex;
import dev.tern.filter.Filter;
import dev.tern.store.Visibility;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Private messages are read only by their parties. NIP-59: relays SHOULD serve kind 1059 gift wraps only to
 * the marked recipient, authenticated with NIP-42; NIP-42 names kind 4 DMs (NIP-04) as the like case, where
 * the author is a party too. An event of a protected kind is visible to a reader authenticated as a pubkey in
 * its {@code p} tags, or, for kind 4, as its author. Every read path asks this rule: REQ (stored, live and NIP-50
 * search), COUNT and NIP-77 sessions through the relay's admission, and the admin export, so nothing counts or
 * lists what a read hides.
 *
 * @param kinds the protected kinds ({@code TERN_PROTECTED_KINDS}); empty turns the rule off
 */
public record DmPrivacy(Set<Integer> kinds) {
    /** NIP-04 encrypted direct messages. */
    public static final int DM_KIND = 4;
    /** NIP-59 gift wraps, which carry NIP-17 private messages. */
    public static final int GIFT_WRAP_KIND = 1059;
    public static final DmPrivacy DEFAULT = new DmPrivacy(Set.of(DM_KIND, GIFT_WRAP_KIND));
    public static final DmPrivacy OFF = new DmPrivacy(Set.of());

    public DmPrivacy {
        kinds = Set.copyOf(kinds);
    }

    /**
     * Parses a comma-separated list of kinds; {@code none} or blank turns the rule off ({@code none} because an empty
     * environment variable reads as unset, so it would give the default). Throws IllegalArgumentException naming a bad entry.
     */
    public static DmPrivacy parse(String list) {
        if (list.trim().equalsIgnoreCase("none")) return OFF;
        Set<Integer> kinds = new TreeSet<>();
        for (String part : list.split(",")) {
            String s = part.trim();
            if (s.isEmpty()) continue;
            try {
                int k = Integer.parseInt(s);
                if (k < 0 || k > 65535) throw new NumberFormatException();
                kinds.add(k);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("TERN_PROTECTED_KINDS: '" + s + "' is not a kind (0..65535)");
            }
        }
        return new DmPrivacy(kinds);
    }

    public boolean isProtected(int kind) {
        return kinds.contains(kind);
    }

    /** True if a reader authenticated as {@code readers} may see {@code e}. */
    public boolean visible(Event e, Set<ByteKey> readers) {
        if (!kinds.contains(e.kind())) return true;
        if (readers.isEmpty()) return false;
        if (e.kind() == DM_KIND && readers.contains(ByteKey.of(e.pubkey()))) return true;
        for (List<String> t : e.tags()) {
            if (t.size() >= 2 && "p".equals(t.get(0)) && t.get(1).length() == 64) {
                byte[] p = Hex.decodeLower(t.get(1), 32);
                if (p != null && readers.contains(ByteKey.of(p))) return true;
            }
        }
        return false;
    }

    /** What a reader authenticated as {@code readers} may see, for the store's read paths. */
    public Visibility visibility(Set<ByteKey> readers) {
        if (kinds.isEmpty()) return Visibility.ALL;
        Set<ByteKey> who = Set.copyOf(readers);
        return new Visibility() {
            @Override
            public boolean mayHideKind(int kind) { return kinds.contains(kind); }

            @Override
            public boolean visible(Event e) { return DmPrivacy.this.visible(e, who); }
        };
    }

    /**
     * May a connection authenticated as {@code readers} (empty: not authenticated) read {@code f}? Without AUTH, a
     * filter asking only for protected kinds is refused with NIP-42's {@code auth-required:}; any other filter
     * may be read, through {@link #narrowed} and the {@link #visibility}.
     */
    public Decision read(Filter f, Set<ByteKey> readers) {
        if (readers.isEmpty() && f.kinds() != null && !f.kinds().isEmpty() && kinds.containsAll(f.kinds())) {
            return Decision.authRequired("private messages (kinds " + new TreeSet<>(kinds)
                    + ") are served only to their parties; authenticate (NIP-42)");
        }
        return Decision.ALLOW;
    }

    /**
     * The filter to query for an allowed {@code f}: without AUTH, without the protected kinds it names; with AUTH,
     * a filter asking only for kinds read through {@code p} tags and naming no {@code #p} is narrowed to the
     * readers' keys, so it reads their messages instead of scanning everyone's. The visibility decides the rest.
     */
    public Filter narrowed(Filter f, Set<ByteKey> readers) {
        if (kinds.isEmpty()) return f;
        return readers.isEmpty() ? withoutProtectedKinds(f) : narrowedToReaders(f, readers);
    }

    /** {@code f} without the protected kinds it names (it names others too: {@link #read} allowed it). */
    private Filter withoutProtectedKinds(Filter f) {
        if (f.kinds() == null) return f; // hidden event by event
        Set<Integer> rest = new HashSet<>(f.kinds());
        if (!rest.removeAll(kinds) || rest.isEmpty()) return f;
        return new Filter(f.ids(), f.authors(), rest, f.tags(), f.since(), f.until(), f.limit(), f.search());
    }

    private Filter narrowedToReaders(Filter f, Set<ByteKey> readers) {
        if (f.kinds() == null || f.ids() != null || f.tags().containsKey('p') || !kinds.containsAll(f.kinds())
                || f.kinds().contains(DM_KIND)) { // a DM's author reads it too: no single filter says "p or author"
            return f;
        }
        Set<String> hex = new HashSet<>();
        for (ByteKey r : readers) hex.add(Hex.encode(r.bytes()));
        Map<Character, Set<String>> tags = new HashMap<>(f.tags());
        tags.put('p', hex);
        return new Filter(f.ids(), f.authors(), f.kinds(), tags, f.since(), f.until(), f.limit(), f.search());
    }
}
