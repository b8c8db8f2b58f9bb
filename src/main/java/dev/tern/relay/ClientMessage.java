package dev.tern.relay;

import dev.tern.event.Event;
import dev.tern.filter.Filter;
import java.util.List;

/** One client-to-relay message, parsed (NIP-01, NIP-42, NIP-45, NIP-77). */
sealed interface ClientMessage {
    /** ["EVENT", event]: well-formed, id checked; the signature is checked later, after the cheap limits. */
    record Publish(Event event) implements ClientMessage {}

    /** An EVENT refused while parsing; {@code id} is the claimed id when it could be read (else null: NOTICE). */
    record PublishRejected(byte[] id, String message) implements ClientMessage {}

    record Req(String subId, List<Filter> filters) implements ClientMessage {}

    record Count(String subId, List<Filter> filters) implements ClientMessage {}

    /** A REQ or COUNT refused while parsing its filters: answered with CLOSED. */
    record SubscriptionRejected(String subId, String message) implements ClientMessage {}

    record Close(String subId) implements ClientMessage {}

    /** ["AUTH", event]: parsed with the signature verified. */
    record Auth(Event event) implements ClientMessage {}

    /** NIP-77 ["NEG-OPEN", subid, filter, hex]: the message decoded from hex. */
    record NegOpen(String subId, Filter filter, byte[] message) implements ClientMessage {}

    /** NIP-77 ["NEG-MSG", subid, hex]. */
    record NegMsg(String subId, byte[] message) implements ClientMessage {}

    /** NIP-77 ["NEG-CLOSE", subid]. */
    record NegClose(String subId) implements ClientMessage {}

    /** A NEG-OPEN or NEG-MSG refused while parsing: answered with NEG-ERR, which closes that session. */
    record NegRejected(String subId, String reason) implements ClientMessage {}

    /** Anything else: answered with a NOTICE, the connection stays open. */
    record Malformed(String notice) implements ClientMessage {}
}
