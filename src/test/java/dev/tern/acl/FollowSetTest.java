package dev.tern.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.ByteKey;
import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FollowSetTest {
    private final Random random = new Random(7);
    private final KeyPair owner = KeyPair.generate(random);
    private final KeyPair admin = KeyPair.generate(random);
    private final KeyPair stranger = KeyPair.generate(random);
    private final ByteKey x = key(KeyPair.generate(random)), y = key(KeyPair.generate(random)), z = key(KeyPair.generate(random));
    private final Identities ids = new Identities(java.util.Set.of(key(owner)), java.util.Set.of(key(admin)));

    static ByteKey key(KeyPair k) {
        return ByteKey.of(k.publicKey());
    }

    static Event contacts(KeyPair who, long createdAt, ByteKey... follows) {
        List<List<String>> tags = new ArrayList<>();
        for (ByteKey f : follows) tags.add(List.of("p", f.toString()));
        return Signer.sign(who, createdAt, 3, tags, "");
    }

    @Test
    void newestListOfEachOwnerOrAdminCounts() {
        FollowSet set = new FollowSet(ids, 100);
        assertTrue(set.accept(contacts(owner, 100, x, y)));
        assertTrue(set.contains(x) && set.contains(y));
        assertFalse(set.accept(contacts(owner, 99, z)), "older list is ignored");
        assertFalse(set.contains(z));
        assertTrue(set.accept(contacts(owner, 101, y)));
        assertFalse(set.contains(x), "unfollowed in the newer list");
        assertTrue(set.accept(contacts(admin, 5, z)));
        assertEquals(2, set.size());
        assertFalse(set.accept(contacts(stranger, 200, x)), "a stranger's follows do not count");
        assertFalse(set.contains(x));
        assertFalse(set.accept(Signer.sign(owner, 300, 1, List.of(List.of("p", x.toString())), "")), "only kind 3");
    }

    @Test
    void equalTimestampsKeepTheLowerId() {
        FollowSet set = new FollowSet(ids, 100);
        Event a = contacts(owner, 100, x), b = contacts(owner, 100, y);
        Event low = java.util.Arrays.compareUnsigned(a.id(), b.id()) < 0 ? a : b;
        Event high = low == a ? b : a;
        set.accept(high);
        assertTrue(set.accept(low));
        assertFalse(set.accept(high));
    }

    @Test
    void badTagsAreSkippedAndTheSetIsCapped() {
        FollowSet set = new FollowSet(ids, 2);
        Event e = Signer.sign(owner, 1, 3, List.of(List.of("p", "nothex"), List.of("p"), List.of("p", x.toString()),
                List.of("e", y.toString()), List.of("p", y.toString()), List.of("p", z.toString())), "");
        set.accept(e);
        assertEquals(2, set.size());
        assertTrue(set.contains(x) && set.contains(y) && !set.contains(z));
        set.accept(contacts(admin, 1, z));
        assertEquals(2, set.size());
    }

    @Test
    void acceptAllKeepsTheNewestOfEach() {
        FollowSet set = new FollowSet(ids, 100);
        set.accept(contacts(owner, 100, x));
        set.acceptAll(List.of(contacts(owner, 50, z), contacts(admin, 1, y), contacts(stranger, 1, z)));
        assertTrue(set.contains(x) && set.contains(y));
        assertFalse(set.contains(z));
    }
}
