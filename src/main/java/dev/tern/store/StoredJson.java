package dev.tern.store;

import dev.tern.event.Event;
import dev.tern.event.EventParser;
import dev.tern.event.Hex;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The events family's values: each event's NIP-01 wire JSON, which starts with its id. Readers take the id
 * from that fixed prefix without parsing, so the writer stores nothing else ({@link #requireWireForm}).
 */
final class StoredJson {
    private static final byte[] ID_PREFIX = "{\"id\":\"".getBytes(StandardCharsets.US_ASCII);

    private StoredJson() {}

    /** The event a stored value holds; it was verified when stored, so it is parsed without checks. */
    static Event decode(byte[] json) {
        try {
            return EventParser.parseStored(json);
        } catch (IllegalArgumentException e) {
            throw new StoreException("stored event does not parse (" + e.getMessage() + "): " + new String(json, StandardCharsets.UTF_8));
        }
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
