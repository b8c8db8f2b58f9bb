package dev.tern.acl;

import dev.tern.event.Event;
import java.util.List;

/**
 * NIP-13 proof of work: the difficulty of an event is the number of leading zero bits of its id. With a
 * minimum set ({@code TERN_MIN_POW}), an event needs that difficulty and a {@code nonce} tag committing to
 * a target of at least it: the committed target keeps a spammer mining for less from getting through by luck.
 *
 * @param minDifficulty the least difficulty accepted; 0 turns the rule off
 */
public record ProofOfWork(int minDifficulty) {
    public static final ProofOfWork OFF = new ProofOfWork(0);

    public ProofOfWork {
        if (minDifficulty < 0 || minDifficulty > 256) throw new IllegalArgumentException("TERN_MIN_POW must be 0..256, got " + minDifficulty);
    }

    /** NIP-13: leading zero bits of the id. */
    public static int difficulty(byte[] id) {
        int bits = 0;
        for (byte b : id) {
            if (b != 0) return bits + Integer.numberOfLeadingZeros(b & 0xff) - 24;
            bits += 8;
        }
        return bits;
    }

    /** The target the first {@code nonce} tag commits to, or -1 if none is committed. */
    static int committedTarget(Event e) {
        for (List<String> t : e.tags()) {
            if (t.size() >= 3 && "nonce".equals(t.get(0))) {
                try {
                    return Integer.parseInt(t.get(2).trim());
                } catch (NumberFormatException notANumber) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /** ALLOW, or a denial with NIP-01's {@code pow:} prefix saying what is missing. */
    public Decision check(Event e) {
        if (minDifficulty == 0) return Decision.ALLOW;
        int target = committedTarget(e);
        if (target < minDifficulty) {
            return new Decision.Deny("pow: this relay needs a nonce tag committing to a difficulty of at least " + minDifficulty
                    + " (NIP-13)" + (target >= 0 ? ", got " + target : ""));
        }
        int got = difficulty(e.id());
        if (got < minDifficulty) {
            return new Decision.Deny("pow: difficulty " + got + " is less than " + minDifficulty + " (NIP-13)");
        }
        return Decision.ALLOW;
    }
}
