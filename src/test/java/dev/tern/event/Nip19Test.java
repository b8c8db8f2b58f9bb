package dev.tern.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** NIP-19 npub decoding with the examples of the NIP itself, and each kind of malformed input. */
class Nip19Test {
    private static final String FIATJAF = "3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aaaefa459d";
    private static final String FIATJAF_NPUB = "npub180cvv07tjdrrgpa0j7j7tmnyl2yr6yr7l8j4s3evf6u64th6gkwsyjh6w6";

    @Test
    void nip19NpubExamples() {
        assertEquals(FIATJAF, Hex.encode(Nip19.decodeNpub(FIATJAF_NPUB)));
        assertEquals("7e7e9c42a91bfef19fa929e5fda1b72e0ebc1a4c1141673e2794234d86addf4e",
                Hex.encode(Nip19.decodeNpub("npub10elfcs4fr0l0r8af98jlmgdh9c8tcxjvz9qkw038js35mp4dma8qzvjptg")));
    }

    @Test
    void nip19NsecExample() {
        assertEquals("67dea2ed018072d675f5415ecfaed7d2597555e202d85b3d65ea4e58d2d92ffa",
                Hex.encode(Nip19.decodeNsec("nsec1vl029mgpspedva04g90vltkh6fvh240zqtv9k0t9af8935ke9laqsnlfe5")));
        assertMessage("expected prefix 'nsec', got 'npub'", () -> Nip19.decodeNsec(FIATJAF_NPUB));
    }

    @Test
    void upperCaseIsAccepted() {
        assertEquals(FIATJAF, Hex.encode(Nip19.decodeNpub(FIATJAF_NPUB.toUpperCase())));
    }

    @Test
    void badChecksum() {
        String changed = FIATJAF_NPUB.substring(0, FIATJAF_NPUB.length() - 1) + "7";
        assertMessage("bad bech32 checksum", () -> Nip19.decodeNpub(changed));
        String swapped = FIATJAF_NPUB.substring(0, 10) + FIATJAF_NPUB.charAt(11) + FIATJAF_NPUB.charAt(10) + FIATJAF_NPUB.substring(12);
        assertMessage("bad bech32 checksum", () -> Nip19.decodeNpub(swapped));
    }

    @Test
    void wrongPrefix() {
        // NIP-19's nsec example
        assertMessage("expected prefix 'npub', got 'nsec'",
                () -> Nip19.decodeNpub("nsec1vl029mgpspedva04g90vltkh6fvh240zqtv9k0t9af8935ke9laqsnlfe5"));
    }

    @Test
    void badLength() {
        // valid bech32 of 31 zero bytes
        assertMessage("npub must hold 32 bytes, got 31", () -> Nip19.decodeNpub("npub1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqkxnxjx"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "npub", "1qqqqqq", "npub1qqqq", "npub1bbbbbbbbbb", "npub1ioioioioio", "npub1 qqqqqqqq",
            "Npub180cvv07tjdrrgpa0j7j7tmnyl2yr6yr7l8j4s3evf6u64th6gkwsyjh6w6"})
    void notBech32(String s) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Nip19.decodeNpub(s));
        assertEquals(true, e.getMessage().startsWith("bech32"), e.getMessage());
    }

    @Test
    void tooLong() {
        assertMessage("longer than 5000", () -> Nip19.decodeNpub("npub1" + "q".repeat(5000)));
    }

    @Test
    void publicKeyFromNpubOrHex() {
        assertEquals(FIATJAF, Hex.encode(Nip19.publicKeyFromNpubOrHex(FIATJAF_NPUB)));
        assertEquals(FIATJAF, Hex.encode(Nip19.publicKeyFromNpubOrHex(" " + FIATJAF + "\n")));
        assertEquals(FIATJAF, Hex.encode(Nip19.publicKeyFromNpubOrHex(FIATJAF.toUpperCase())));
        assertMessage("expected a public key as npub1... or 64 hex", () -> Nip19.publicKeyFromNpubOrHex(FIATJAF.substring(1)));
        assertMessage("expected a public key as npub1... or 64 hex", () -> Nip19.publicKeyFromNpubOrHex("g" + FIATJAF.substring(1)));
        // valid bech32 with NIP-19's note prefix
        assertMessage("expected a public key as npub1... or 64 hex",
                () -> Nip19.publicKeyFromNpubOrHex("note1tjpa5aa0rhkx6u5fsdye3tt6477eugv389khtmpucfl45aezdumqkkhgwy"));
        assertMessage("bad bech32 checksum", () -> Nip19.publicKeyFromNpubOrHex("npub180cvv07tjdrrgpa0j7j7tmnyl2yr6yr7l8j4s3evf6u64th6gkwsyjh6w7"));
    }

    private static void assertMessage(String fragment, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(true, e.getMessage().contains(fragment), () -> e.getMessage() + " lacks " + fragment);
    }
}
