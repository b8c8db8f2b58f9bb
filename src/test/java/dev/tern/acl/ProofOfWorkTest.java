package dev.tern.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Event;
import dev.tern.event.Hex;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProofOfWorkTest {
    private static final KeyPair ALICE = KeyPair.generate(new Random(1));

    /** Mines a note until its id has {@code bits} leading zero bits, committing to {@code target}. */
    static Event mined(int bits, int target) {
        for (int nonce = 0; ; nonce++) {
            Event e = Signer.sign(ALICE, 1_700_000_000L, 1, List.of(List.of("nonce", Integer.toString(nonce), Integer.toString(target))), "pow");
            if (ProofOfWork.difficulty(e.id()) >= bits) return e;
        }
    }

    /** A note committing to {@code target} whose id has fewer than 8 leading zero bits. */
    static Event unlucky(int target) {
        for (int nonce = 0; ; nonce++) {
            Event e = Signer.sign(ALICE, 1_700_000_000L, 1, List.of(List.of("nonce", Integer.toString(nonce), Integer.toString(target))), "pow");
            if (ProofOfWork.difficulty(e.id()) < 8) return e;
        }
    }

    @Test
    void difficultyIsTheIdsLeadingZeroBits() {
        // NIP-13's examples
        assertEquals(36, ProofOfWork.difficulty(Hex.decodeLower("000000000e9d97a1ab09fc381030b346cdd7a142ad57e6df0b46dc9bef6c7e2d", 32)));
        assertEquals(21, ProofOfWork.difficulty(Hex.decodeLower("000006d8c378af1779d2feebc7603a125d99eca0ccf1085959b307f64e5dd358", 32)));
        assertEquals(10, ProofOfWork.difficulty(Hex.decodeLower("002f" + "f".repeat(60), 32)));
        assertEquals(256, ProofOfWork.difficulty(new byte[32]));
    }

    @Test
    void anEventNeedsTheDifficultyAndACommittedTargetOfIt() {
        ProofOfWork pow = new ProofOfWork(8);
        assertEquals(Decision.ALLOW, pow.check(mined(8, 8)));
        assertEquals(Decision.ALLOW, ProofOfWork.OFF.check(Signer.sign(ALICE, 1, 1, List.of(), "no work")));
        Decision none = pow.check(Signer.sign(ALICE, 1, 1, List.of(), "no work"));
        assertTrue(none instanceof Decision.Deny d && d.message().startsWith("pow: "), none.toString());
        Decision lucky = pow.check(mined(8, 4));
        assertEquals(new Decision.Deny("pow: this relay needs a nonce tag committing to a difficulty of at least 8 (NIP-13), got 4"), lucky,
                "a commitment under the minimum is refused even when the id is lucky");
        Event claims = unlucky(30);
        assertTrue(pow.check(claims) instanceof Decision.Deny d && d.message().startsWith("pow: difficulty "), "commits to 30, has less than 8");
        assertThrows(IllegalArgumentException.class, () -> new ProofOfWork(-1));
    }
}
