package dev.tern.acl;

import dev.tern.event.ByteKey;
import dev.tern.event.Event;
import dev.tern.event.Hex;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pubkeys followed by the owners and admins in their newest kind-3 contact lists (NIP-02), for
 * follows mode. Reads are lock-free on an immutable snapshot; updates (a new kind-3 from an owner or
 * admin, a rebuild from the store) rebuild the snapshot. The union is capped at {@code maxSize} keys
 * so a huge or hostile list cannot exhaust the heap; what is dropped is logged.
 */
public final class FollowSet {
    private static final Logger log = LoggerFactory.getLogger(FollowSet.class);
    public static final int CONTACTS_KIND = 3;

    private final Identities identities;
    private final int maxSize;
    /** Newest contact list per owner/admin; guarded by this. */
    private final Map<ByteKey, Contacts> lists = new HashMap<>();
    private volatile Set<ByteKey> follows = Set.of();

    private record Contacts(long createdAt, byte[] id, List<ByteKey> follows) {}

    public FollowSet(Identities identities, int maxSize) {
        if (maxSize < 1) throw new IllegalArgumentException("follow set size must be at least 1, got " + maxSize);
        this.identities = identities;
        this.maxSize = maxSize;
    }

    public boolean contains(ByteKey pubkey) {
        return pubkey != null && follows.contains(pubkey);
    }

    public int size() {
        return follows.size();
    }

    /** True if {@code e} is a contact list whose author's follows this set tracks. */
    public boolean isRelevant(Event e) {
        return e.kind() == CONTACTS_KIND && identities.isPrivileged(ByteKey.of(e.pubkey()));
    }

    /** Takes a committed event; a kind-3 from an owner or admin newer than the one held replaces it. Returns whether the set changed. */
    public synchronized boolean accept(Event e) {
        if (!offer(e)) return false;
        publish();
        return true;
    }

    /**
     * Takes many contact lists at once (the store's kind-3s of the owners and admins, at start), rebuilding
     * the snapshot once. Newest still wins, so lists the commit listener delivered meanwhile are kept.
     */
    public synchronized void acceptAll(Iterable<Event> contactLists) {
        for (Event e : contactLists) offer(e);
        publish();
    }

    private boolean offer(Event e) {
        if (!isRelevant(e)) return false;
        ByteKey author = ByteKey.of(e.pubkey());
        Contacts old = lists.get(author);
        if (old != null && !supersedes(e, old)) return false;
        lists.put(author, new Contacts(e.createdAt(), e.id(), followedKeys(e)));
        return true;
    }

    /** NIP-01 replaceable events: the newer wins, and on equal created_at the lower id. */
    private static boolean supersedes(Event e, Contacts old) {
        return e.createdAt() > old.createdAt()
                || e.createdAt() == old.createdAt() && Arrays.compareUnsigned(e.id(), old.id()) < 0;
    }

    private List<ByteKey> followedKeys(Event e) {
        Set<ByteKey> keys = new LinkedHashSet<>();
        for (List<String> t : e.tags()) {
            if (t.size() < 2 || !t.get(0).equals("p")) continue;
            byte[] key = Hex.decodeLower(t.get(1), 32);
            if (key != null) keys.add(ByteKey.of(key));
            if (keys.size() == maxSize) break;
        }
        return List.copyOf(keys);
    }

    private void publish() {
        Set<ByteKey> union = new HashSet<>();
        int dropped = 0;
        for (Contacts c : lists.values()) {
            for (ByteKey k : c.follows()) {
                if (union.size() < maxSize || union.contains(k)) union.add(k);
                else dropped++;
            }
        }
        if (dropped > 0) {
            log.warn("follow set is capped at {} pubkeys (TERN_ACL_FOLLOWS_MAX); {} follows were left out", maxSize, dropped);
        }
        follows = Set.copyOf(union);
    }
}
