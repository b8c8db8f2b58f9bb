package dev.tern.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** NIP-19 with the examples of the NIP itself, round trips, and each kind of malformed input. */
class Nip19Test {
    private static final String FIATJAF = "3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aaaefa459d";

    @Test
    void nip19NpubExamples() {
        assertEquals("npub180cvv07tjdrrgpa0j7j7tmnyl2yr6yr7l8j4s3evf6u64th6gkwsyjh6w6", Nip19.encodeNpub(Hex.decode(FIATJAF)));
        assertEquals("7e7e9c42a91bfef19fa929e5fda1b72e0ebc1a4c1141673e2794234d86addf4e",
                Hex.encode(Nip19.decodeNpub("npub10elfcs4fr0l0r8af98jlmgdh9c8tcxjvz9qkw038js35mp4dma8qzvjptg")));
        assertEquals("npub10elfcs4fr0l0r8af98jlmgdh9c8tcxjvz9qkw038js35mp4dma8qzvjptg",
                Nip19.encodeNpub(Hex.decode("7e7e9c42a91bfef19fa929e5fda1b72e0ebc1a4c1141673e2794234d86addf4e")));
    }

    @Test
    void nip19NsecExample() {
        String nsec = "nsec1vl029mgpspedva04g90vltkh6fvh240zqtv9k0t9af8935ke9laqsnlfe5";
        String hex = "67dea2ed018072d675f5415ecfaed7d2597555e202d85b3d65ea4e58d2d92ffa";
        assertEquals(hex, Hex.encode(Nip19.decodeNsec(nsec)));
        assertEquals(nsec, Nip19.encodeNsec(Hex.decode(hex)));
    }

    @Test
    void nip19NprofileExample() {
        Nip19.Profile p = Nip19.decodeNprofile("nprofile1qqsrhuxx8l9ex335q7he0f09aej04zpazpl0ne2cgukyawd24mayt8gpp4mhxue69uhhytnc9e3k7mgpz4mhxue69uhkg6nzv9ejuumpv34kytnrdaksjlyr9p");
        assertEquals(FIATJAF, Hex.encode(p.pubkey()));
        assertEquals(List.of("wss://r.x.com", "wss://djbas.sadkb.com"), p.relays());
    }

    @Test
    void bareRoundTrips() {
        Random r = new Random(19);
        for (int i = 0; i < 50; i++) {
            byte[] b = new byte[32];
            r.nextBytes(b);
            assertArrayEquals(b, Nip19.decodeNpub(Nip19.encodeNpub(b)));
            assertArrayEquals(b, Nip19.decodeNsec(Nip19.encodeNsec(b)));
            assertArrayEquals(b, Nip19.decodeNote(Nip19.encodeNote(b)));
        }
    }

    @Test
    void upperCaseIsAccepted() {
        assertEquals(FIATJAF, Hex.encode(Nip19.decodeNpub("NPUB180CVV07TJDRRGPA0J7J7TMNYL2YR6YR7L8J4S3EVF6U64TH6GKWSYJH6W6")));
    }

    /** TLV bytes built by hand: type, length, value. */
    private static byte[] tlv(Object... items) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < items.length; i += 2) {
            byte[] v = items[i + 1] instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) items[i + 1];
            out.write((Integer) items[i]);
            out.write(v.length);
            out.writeBytes(v);
        }
        return out.toByteArray();
    }

    private static final byte[] ID = Hex.decode("5c83da77af1dec6d7289834998ad7aafbd9e2191396d75ec3cc27f5a77226f36");
    private static final byte[] KIND_30023 = {0, 0, 0x75, 0x47};

    @Test
    void nevent() {
        String s = Bech32.encode("nevent", tlv(0, ID, 1, "wss://a", 2, Hex.decode(FIATJAF), 3, new byte[] {0, 0, 0, 1}, 1, "wss://b", 9, "ignored"));
        Nip19.EventPointer e = Nip19.decodeNevent(s);
        assertArrayEquals(ID, e.id());
        assertEquals(List.of("wss://a", "wss://b"), e.relays());
        assertArrayEquals(Hex.decode(FIATJAF), e.author());
        assertEquals(1, e.kind());

        Nip19.EventPointer bare = Nip19.decodeNevent(Bech32.encode("nevent", tlv(0, ID)));
        assertNull(bare.author());
        assertNull(bare.kind());
        assertEquals(List.of(), bare.relays());
    }

    @Test
    void naddr() {
        Nip19.Address a = Nip19.decodeNaddr(Bech32.encode("naddr", tlv(0, "my-article", 2, Hex.decode(FIATJAF), 3, KIND_30023, 1, "wss://r")));
        assertEquals("my-article", a.identifier());
        assertArrayEquals(Hex.decode(FIATJAF), a.author());
        assertEquals(30023, a.kind());
        assertEquals(List.of("wss://r"), a.relays());
        // A normal replaceable event has an empty identifier.
        assertEquals("", Nip19.decodeNaddr(Bech32.encode("naddr", tlv(0, "", 2, Hex.decode(FIATJAF), 3, new byte[] {0, 0, 0, 0}))).identifier());
    }

    @Test
    void malformedTlv() {
        assertMessage("nprofile lacks its public key", () -> Nip19.decodeNprofile(Bech32.encode("nprofile", tlv(1, "wss://a"))));
        assertMessage("nprofile public key must be 32 bytes, got 31", () -> Nip19.decodeNprofile(Bech32.encode("nprofile", tlv(0, new byte[31]))));
        assertMessage("nevent author must be 32 bytes", () -> Nip19.decodeNevent(Bech32.encode("nevent", tlv(0, ID, 2, new byte[5]))));
        assertMessage("nevent kind must be 4 bytes", () -> Nip19.decodeNevent(Bech32.encode("nevent", tlv(0, ID, 3, new byte[2]))));
        assertMessage("naddr kind 65536 is outside", () -> Nip19.decodeNaddr(Bech32.encode("naddr", tlv(0, "d", 2, ID, 3, new byte[] {0, 1, 0, 0}))));
        assertMessage("naddr lacks its kind", () -> Nip19.decodeNaddr(Bech32.encode("naddr", tlv(0, "d", 2, ID))));
        assertMessage("naddr lacks its author", () -> Nip19.decodeNaddr(Bech32.encode("naddr", tlv(0, "d", 3, KIND_30023))));
        assertMessage("naddr lacks its identifier", () -> Nip19.decodeNaddr(Bech32.encode("naddr", tlv(2, ID, 3, KIND_30023))));
        byte[] truncated = tlv(0, ID);
        assertMessage("truncated TLV", () -> Nip19.decodeNevent(Bech32.encode("nevent", java.util.Arrays.copyOf(truncated, 20))));
        assertMessage("truncated TLV", () -> Nip19.decodeNevent(Bech32.encode("nevent", java.util.Arrays.copyOf(truncated, 35))));
    }

    @Test
    void badChecksum() {
        String npub = Nip19.encodeNpub(Hex.decode(FIATJAF));
        String changed = npub.substring(0, npub.length() - 1) + (npub.endsWith("q") ? "p" : "q");
        assertMessage("bad bech32 checksum", () -> Nip19.decodeNpub(changed));
        String swapped = npub.substring(0, 10) + npub.charAt(11) + npub.charAt(10) + npub.substring(12);
        assertMessage("bad bech32 checksum", () -> Nip19.decodeNpub(swapped));
    }

    @Test
    void wrongPrefix() {
        String nsec = Nip19.encodeNsec(Hex.decode(FIATJAF));
        assertMessage("expected prefix 'npub', got 'nsec'", () -> Nip19.decodeNpub(nsec));
        assertMessage("expected prefix 'nevent', got 'note'", () -> Nip19.decodeNevent(Nip19.encodeNote(ID)));
    }

    @Test
    void badLength() {
        assertMessage("npub must hold 32 bytes, got 31", () -> Nip19.decodeNpub(Bech32.encode("npub", new byte[31])));
        assertMessage("note must hold 32 bytes, got 33", () -> Nip19.decodeNote(Bech32.encode("note", new byte[33])));
        assertMessage("public key must be 32 bytes, got 33", () -> Nip19.encodeNpub(new byte[33]));
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
        assertMessage("longer than 5000", () -> Nip19.decodeNevent("nevent1" + "q".repeat(5000)));
    }

    @Test
    void publicKeyFromNpubOrHex() {
        assertEquals(FIATJAF, Hex.encode(Nip19.publicKeyFromNpubOrHex("npub180cvv07tjdrrgpa0j7j7tmnyl2yr6yr7l8j4s3evf6u64th6gkwsyjh6w6")));
        assertEquals(FIATJAF, Hex.encode(Nip19.publicKeyFromNpubOrHex(" " + FIATJAF + "\n")));
        assertEquals(FIATJAF, Hex.encode(Nip19.publicKeyFromNpubOrHex(FIATJAF.toUpperCase())));
        assertMessage("expected a public key as npub1... or 64 hex", () -> Nip19.publicKeyFromNpubOrHex(FIATJAF.substring(1)));
        assertMessage("expected a public key as npub1... or 64 hex", () -> Nip19.publicKeyFromNpubOrHex("g" + FIATJAF.substring(1)));
        assertMessage("expected a public key as npub1... or 64 hex", () -> Nip19.publicKeyFromNpubOrHex(Nip19.encodeNote(ID)));
        assertMessage("bad bech32 checksum", () -> Nip19.publicKeyFromNpubOrHex("npub180cvv07tjdrrgpa0j7j7tmnyl2yr6yr7l8j4s3evf6u64th6gkwsyjh6w7"));
    }

    private static void assertMessage(String fragment, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(true, e.getMessage().contains(fragment), () -> e.getMessage() + " lacks " + fragment);
    }
}
