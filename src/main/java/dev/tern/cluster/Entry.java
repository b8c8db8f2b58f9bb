package dev.tern.cluster;

import io.nats.client.impl.Headers;

/**
 * The kinds of log entries and the headers that tell them apart. An event entry's body is the event's NIP-01
 * JSON and its message id the event id, so JetStream's duplicate window drops a re-sent event; an events entry
 * (imports, syncs, mirroring) holds many events, one JSON per line, so the log takes a bulk write in large
 * entries; a NIP-86 entry's body is the call as the admin sent it, with the admin's pubkey in a header.
 */
public final class Entry {
    static final String KIND = "Tern-Entry";
    static final String EVENT = "event";
    static final String EVENTS = "events";
    static final String NIP86 = "nip86";
    static final String ADMIN = "Tern-Admin";
    static final String NODE = "Tern-Node";

    private Entry() {}

    /** An event entry's headers; public for bench/cluster/LogFill.java, which fills a log as nodes write it. */
    public static Headers event(String node) {
        return new Headers().put(KIND, EVENT).put(NODE, node);
    }

    static Headers events(String node) {
        return new Headers().put(KIND, EVENTS).put(NODE, node);
    }

    /** {@code adminHex} is null for a loopback admin when no owners or admins are configured. */
    static Headers nip86(String node, String adminHex) {
        Headers h = new Headers().put(KIND, NIP86).put(NODE, node);
        return adminHex == null ? h : h.put(ADMIN, adminHex);
    }

    /** The entry's kind; an entry without one (written by something else) is null. */
    static String kindOf(Headers h) {
        return h == null ? null : h.getFirst(KIND);
    }
}
