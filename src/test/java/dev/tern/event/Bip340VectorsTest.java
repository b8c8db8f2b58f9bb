package dev.tern.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every row of the official BIP-340 test vectors (src/test/resources/bip340/test-vectors.csv). */
class Bip340VectorsTest {
    record Vector(int index, String secretKey, byte[] publicKey, byte[] auxRand, byte[] message, byte[] signature,
                  boolean expected, String comment) {
        @Override
        public String toString() { return "#" + index + " " + comment; }
    }

    static List<Vector> vectors() throws IOException {
        List<Vector> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                Bip340VectorsTest.class.getResourceAsStream("/bip340/test-vectors.csv")), StandardCharsets.US_ASCII))) {
            r.readLine(); // header
            for (String line; (line = r.readLine()) != null; ) {
                String[] c = line.split(",", -1);
                out.add(new Vector(Integer.parseInt(c[0]), c[1], Hex.decode(c[2]), c[3].isEmpty() ? null : Hex.decode(c[3]),
                        Hex.decode(c[4]), Hex.decode(c[5]), c[6].equals("TRUE"), c[7]));
            }
        }
        assertEquals(19, out.size(), "all vectors read");
        return out;
    }

    static List<Vector> verifiable() throws IOException {
        return vectors().stream().filter(v -> v.message().length == Schnorr.MESSAGE_LENGTH).toList();
    }

    static List<Vector> signable() throws IOException {
        return verifiable().stream().filter(v -> !v.secretKey().isEmpty()).toList();
    }

    /** Rows 15-18 (messages of 0, 1, 17 and 100 bytes): the library only takes 32-byte messages. */
    static List<Vector> otherLengths() throws IOException {
        return vectors().stream().filter(v -> v.message().length != Schnorr.MESSAGE_LENGTH).toList();
    }

    @ParameterizedTest
    @MethodSource("verifiable")
    void verifyGivesTheExpectedResult(Vector v) {
        assertEquals(v.expected(), Schnorr.verify(v.signature(), v.message(), v.publicKey()));
    }

    /** The second check of a key finds it parsed in the cache: the outcome must not change, for valid keys and others. */
    @ParameterizedTest
    @MethodSource("verifiable")
    void verifyGivesTheSameResultWithTheKeyCached(Vector v) {
        for (int i = 0; i < 2; i++) assertEquals(v.expected(), Schnorr.verify(v.signature(), v.message(), v.publicKey()));
    }

    @ParameterizedTest
    @MethodSource("signable")
    void signingReproducesTheVectorSignature(Vector v) {
        byte[] sk = Hex.decode(v.secretKey());
        assertArrayEquals(v.publicKey(), Schnorr.xOnlyPublicKey(sk));
        assertArrayEquals(v.signature(), Schnorr.sign(v.message(), sk, v.auxRand()));
    }

    @ParameterizedTest
    @MethodSource("otherLengths")
    void messagesOfOtherLengthsAreRefusedNotMisverified(Vector v) {
        assertFalse(Schnorr.verify(v.signature(), v.message(), v.publicKey()));
        assertThrows(IllegalArgumentException.class, () -> Schnorr.sign(v.message(), Hex.decode(v.secretKey()), v.auxRand()));
    }
}
