package dev.tern.store;

import dev.tern.event.Event;
import dev.tern.event.EventParser;
import dev.tern.event.Hex;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The events family's values: each event's NIP-01 wire JSON, which starts with its id. Readers take the id
 * from that fixed prefix without parsing, so the writer stores nothing else ({@link #requireWireForm}); the
 * pubkey and kind follow at places the wire form fixes ({@code EventJson.wire}).
 */
final class StoredJson {
    private static final byte[] ID_PREFIX = "{\"id\":\"".getBytes(StandardCharsets.US_ASCII);

    /** {@code {"id":"} + 64 + {@code ","pubkey":"}. */
    private static final int PUBKEY_AT = ID_PREFIX.length + 64 + 12;
    /** Where created_at's digits start: after the pubkey and {@code ","created_at":}. */
    private static final int CREATED_AT_AT = PUBKEY_AT + 64 + 15;

    private StoredJson() {}

    /** The pubkey of a stored value, from its fixed place. */
    static byte[] pubkey(byte[] json) {
        return Hex.decodeLower(new String(json, PUBKEY_AT, 64, StandardCharsets.US_ASCII), Keys.ID);
    }

    /** The created_at of a stored value: the digits at their fixed place. */
    static long createdAt(byte[] json) {
        int i = CREATED_AT_AT;
        boolean negative = json[i] == '-';
        if (negative) i++;
        long t = 0;
        for (; json[i] != ','; i++) t = 10 * t + (json[i] - '0');
        return negative ? -t : t;
    }

    /** The kind of a stored value: the digits after created_at's and {@code ,"kind":}. */
    static int kind(byte[] json) {
        int i = CREATED_AT_AT;
        while (json[i] != ',') i++;
        i += ",\"kind\":".length();
        int kind = 0;
        for (; json[i] != ','; i++) kind = 10 * kind + (json[i] - '0');
        return kind;
    }

    /** The event a stored value holds; it was verified when stored, so it is parsed without checks. */
    static Event decode(byte[] json) {
        try {
            return EventParser.parseStored(json);
        } catch (IllegalArgumentException e) {
            throw new StoreException("stored event does not parse (" + e.getMessage() + "): " + new String(json, StandardCharsets.UTF_8));
        }
    }

    /** True if the stored value's signature is {@code sig}: its 128 hex digits end the wire form, before {@code "}}. */
    static boolean hasSignature(byte[] json, byte[] sig) {
        byte[] hex = new byte[2 * sig.length];
        Hex.encodeTo(sig, hex, 0);
        int start = json.length - 2 - hex.length;
        return start > 0 && Arrays.equals(json, start, start + hex.length, hex, 0, hex.length);
    }

    /** The id of a stored value, from its prefix. */
    static byte[] id(byte[] json) {
        return Hex.decodeLower(new String(json, ID_PREFIX.length, 64, StandardCharsets.US_ASCII), Keys.ID);
    }

    /** Refuses an event whose json is not the wire form starting with its own id (what {@link #id} reads). */
    static void requireWireForm(Event e) {
        byte[] j = e.json();
        int start = ID_PREFIX.length;
        byte[] idHex = new byte[2 * Keys.ID];
        Hex.encodeTo(e.id(), idHex, 0); // compared as bytes: this runs for every event on the writer thread
        if (j == null || j.length < start + idHex.length
                || !Arrays.equals(j, 0, start, ID_PREFIX, 0, start)
                || !Arrays.equals(j, start, start + idHex.length, idHex, 0, idHex.length)) {
            throw new IllegalArgumentException("event json is not the NIP-01 wire form starting with its id");
        }
    }
}
