package dev.tern.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.ByteKey;
import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import dev.tern.filter.Filter;
import dev.tern.store.Visibility;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DmPrivacyTest {
    private static final KeyPair ALICE = KeyPair.generate(new Random(1));
    private static final KeyPair BOB = KeyPair.generate(new Random(2));
    private static final KeyPair CAROL = KeyPair.generate(new Random(3));
    private final DmPrivacy rule = DmPrivacy.DEFAULT;

    private static Set<ByteKey> as(KeyPair... keys) {
        return Set.of(java.util.Arrays.stream(keys).map(k -> ByteKey.of(k.publicKey())).toArray(ByteKey[]::new));
    }

    private static Event to(KeyPair from, int kind, KeyPair to) {
        return Signer.sign(from, 100, kind, List.of(List.of("p", to.publicKeyHex())), "x");
    }

    private static Filter kinds(Integer... kinds) {
        return new Filter(null, null, Set.of(kinds), Map.of(), null, null, null);
    }

    @Test
    void aGiftWrapIsVisibleToItsRecipientsOnlyAndADmToItsAuthorToo() {
        Event wrap = to(KeyPair.generate(), 1059, BOB);
        Event dm = to(ALICE, 4, BOB);
        assertTrue(rule.visible(wrap, as(BOB)));
        assertFalse(rule.visible(wrap, as(ALICE)));
        assertFalse(rule.visible(wrap, Set.of()));
        assertTrue(rule.visible(dm, as(ALICE)));
        assertTrue(rule.visible(dm, as(BOB)));
        assertFalse(rule.visible(dm, as(CAROL)));
        assertTrue(rule.visible(dm, as(CAROL, BOB)), "any authenticated key counts (NIP-42)");
        assertTrue(rule.visible(to(ALICE, 1, BOB), Set.of()), "other kinds are public");
        assertTrue(DmPrivacy.OFF.visible(wrap, Set.of()));
    }

    @Test
    void withoutAuthAFilterOnlyForPrivateKindsIsRefusedAndOthersLoseThem() {
        assertTrue(rule.read(kinds(1059), Set.of()) instanceof Decision.Deny d && d.message().startsWith("auth-required: "));
        assertInstanceOf(Decision.Deny.class, rule.read(kinds(4, 1059), Set.of()));
        assertEquals(Decision.ALLOW, rule.read(kinds(1, 4, 1059), Set.of()));
        assertEquals(Decision.ALLOW, rule.read(kinds(1059), as(CAROL)), "anyone authenticated may ask; visibility decides");
        assertEquals(kinds(1), rule.narrowed(kinds(1, 4, 1059), Set.of()));
        assertEquals(Filter.ALL, rule.narrowed(Filter.ALL, Set.of()));
        Visibility anonymous = rule.visibility(Set.of());
        assertTrue(anonymous.mayHide(Filter.ALL), "events of private kinds are hidden one by one");
        assertFalse(anonymous.mayHide(kinds(1, 7)));
    }

    @Test
    void withAuthAGiftWrapFilterIsNarrowedToTheReadersKeys() {
        Filter narrowed = rule.narrowed(kinds(1059), as(BOB));
        assertEquals(Set.of(BOB.publicKeyHex()), narrowed.tags().get('p'));
        assertEquals(kinds(4), rule.narrowed(kinds(4), as(BOB)), "a DM's author reads it too: not narrowed to p");
        assertEquals(kinds(1), rule.narrowed(kinds(1), as(BOB)));
        Visibility bobs = rule.visibility(as(BOB));
        assertTrue(bobs.visible(to(KeyPair.generate(), 1059, BOB)));
        assertFalse(bobs.visible(to(KeyPair.generate(), 1059, CAROL)));
    }

    @Test
    void kindsAreConfigurable() {
        DmPrivacy custom = DmPrivacy.parse(" 1059, 14 ,");
        assertEquals(Set.of(1059, 14), custom.kinds());
        assertTrue(custom.visible(to(ALICE, 4, BOB), Set.of()));
        assertSame(Visibility.ALL, DmPrivacy.parse("").visibility(Set.of()));
        assertEquals(Decision.ALLOW, DmPrivacy.parse("").read(kinds(1059), Set.of()));
        assertEquals(kinds(1059), DmPrivacy.parse("").narrowed(kinds(1059), Set.of()));
        // an empty TERN_PROTECTED_KINDS reads as unset (the default), so "none" is how an env file turns the rule off
        assertEquals(DmPrivacy.OFF, DmPrivacy.parse("none"));
        assertEquals(DmPrivacy.OFF, DmPrivacy.parse(" NONE "));
        assertEquals("TERN_PROTECTED_KINDS: 'x' is not a kind (0..65535)",
                assertThrows(IllegalArgumentException.class, () -> DmPrivacy.parse("4,x")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> DmPrivacy.parse("70000"));
    }
}
