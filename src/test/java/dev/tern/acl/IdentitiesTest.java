package dev.tern.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.ByteKey;
import dev.tern.event.Hex;
import dev.tern.event.KeyPair;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IdentitiesTest {
    private final KeyPair a = KeyPair.generate(new Random(1));
    private final KeyPair b = KeyPair.generate(new Random(2));

    @Test
    void parsesCommaSeparatedHexIgnoringBlanksAndCase() {
        Identities ids = Identities.parse(" " + a.publicKeyHex().toUpperCase() + " ,, ", b.publicKeyHex());
        assertEquals(1, ids.owners().size());
        assertTrue(ids.isPrivileged(ByteKey.of(a.publicKey())));
        assertTrue(ids.isPrivileged(ByteKey.of(b.publicKey())));
        assertFalse(ids.isPrivileged(ByteKey.of(new byte[32])));
        assertFalse(ids.isPrivileged(null));
        assertFalse(ids.isEmpty());
        assertTrue(Identities.parse("", " ").isEmpty());
    }

    @Test
    void acceptsNpub() {
        // NIP-19's example
        Identities ids = Identities.parse("npub10elfcs4fr0l0r8af98jlmgdh9c8tcxjvz9qkw038js35mp4dma8qzvjptg", "");
        assertTrue(ids.isPrivileged(ByteKey.of(Hex.decode("7e7e9c42a91bfef19fa929e5fda1b72e0ebc1a4c1141673e2794234d86addf4e"))));
    }

    @Test
    void badEntryIsNamedWithItsVariable() {
        var e = assertThrows(IllegalArgumentException.class, () -> Identities.parse(a.publicKeyHex() + ",bob", ""));
        assertTrue(e.getMessage().contains("TERN_OWNERS") && e.getMessage().contains("'bob'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Identities.parse("", "zz" + a.publicKeyHex().substring(2)));
        assertTrue(e.getMessage().startsWith("TERN_ADMINS: 'zz"), e.getMessage());
    }
}
