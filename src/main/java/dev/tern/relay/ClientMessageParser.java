package dev.tern.relay;

import dev.tern.json.Json;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.tern.event.EventParser;
import dev.tern.event.Hex;
import dev.tern.event.ParseResult;
import dev.tern.filter.Filter;
import dev.tern.filter.FilterParser;
import dev.tern.filter.FilterResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses one client message with jackson's streaming parser. EVENT payloads are parsed and their ids
 * checked here, but their signatures are verified later, after the cheap limits (so a flood of
 * over-limit events costs no Schnorr checks); AUTH events are verified here. Thread-safe.
 */
final class ClientMessageParser {
    private static final EventParser UNVERIFIED = new EventParser(false);
    private static final EventParser VERIFIED = new EventParser(true);

    private final FilterParser filterParser;
    private final int maxFilters;

    ClientMessageParser(FilterParser filterParser, int maxFilters) {
        this.filterParser = filterParser;
        this.maxFilters = maxFilters;
    }

    ClientMessage parse(byte[] msg) {
        try (JsonParser p = Json.parser(msg)) {
            if (p.nextToken() != JsonToken.START_ARRAY) return malformed("a message must be a JSON array");
            if (p.nextToken() != JsonToken.VALUE_STRING) return malformed("a message must start with its type as a string");
            String type = p.getText();
            ClientMessage m = switch (type) {
                case "EVENT" -> event(p, msg, UNVERIFIED);
                case "AUTH" -> event(p, msg, VERIFIED);
                case "REQ", "COUNT" -> subscription(p, type.equals("COUNT"));
                case "CLOSE" -> close(p);
                case "NEG-OPEN" -> negOpen(p);
                case "NEG-MSG" -> negMsg(p);
                case "NEG-CLOSE" -> negClose(p);
                default -> malformed("unknown message type '" + (type.length() > 16 ? type.substring(0, 16) + "..." : type) + "'");
            };
            if (m instanceof ClientMessage.Publish || m instanceof ClientMessage.Auth || m instanceof ClientMessage.Close
                    || m instanceof ClientMessage.NegOpen || m instanceof ClientMessage.NegMsg || m instanceof ClientMessage.NegClose) {
                if (p.nextToken() != JsonToken.END_ARRAY || p.nextToken() != null) {
                    return malformed("unexpected data after the " + type + " message's last element");
                }
            }
            return m;
        } catch (StreamConstraintsException e) {
            return malformed("JSON too deeply nested or too large");
        } catch (IOException e) {
            return malformed("malformed JSON");
        }
    }

    private static ClientMessage event(JsonParser p, byte[] msg, EventParser parser) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) return malformed("the second element of EVENT and AUTH must be an event object");
        return switch (parser.parseObject(p)) {
            case ParseResult.Parsed ok -> parser == VERIFIED ? new ClientMessage.Auth(ok.event()) : new ClientMessage.Publish(ok.event());
            case ParseResult.Rejected r -> new ClientMessage.PublishRejected(claimedId(msg), r.rejection().message());
        };
    }

    private ClientMessage subscription(JsonParser p, boolean count) throws IOException {
        String subId = subId(p);
        if (subId == null) return malformed("a subscription id must be a string of 1 to " + RelayLimits.MAX_SUBID_LENGTH + " characters");
        List<Filter> filters = new ArrayList<>();
        String error = null;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) return malformed("unterminated message");
            if (error != null) {
                p.skipChildren();
            } else if (t != JsonToken.START_OBJECT) {
                error = "invalid: filters must be JSON objects";
                p.skipChildren();
            } else if (filters.size() == maxFilters) {
                error = "invalid: too many filters (max " + maxFilters + ")";
                p.skipChildren();
            } else {
                switch (filterParser.parse(p)) {
                    case FilterResult.Ok<Filter>(Filter f) -> filters.add(f);
                    case FilterResult.Error<Filter>(String message) -> error = message;
                }
            }
        }
        if (p.nextToken() != null) return malformed("unexpected data after the message");
        if (error == null && filters.isEmpty()) error = "invalid: at least one filter is required";
        if (error != null) return new ClientMessage.SubscriptionRejected(subId, error);
        return count ? new ClientMessage.Count(subId, filters) : new ClientMessage.Req(subId, filters);
    }

    private static ClientMessage close(JsonParser p) throws IOException {
        String subId = subId(p);
        return subId == null ? malformed("CLOSE needs a subscription id of 1 to " + RelayLimits.MAX_SUBID_LENGTH + " characters")
                : new ClientMessage.Close(subId);
    }

    // ---- NIP-77 ----

    private ClientMessage negOpen(JsonParser p) throws IOException {
        String subId = subId(p);
        if (subId == null) return malformed("NEG-OPEN needs a subscription id of 1 to " + RelayLimits.MAX_SUBID_LENGTH + " characters");
        if (p.nextToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return new ClientMessage.NegRejected(subId, "invalid: the second element of NEG-OPEN must be a filter object");
        }
        Filter filter;
        switch (filterParser.parse(p)) {
            case FilterResult.Ok<Filter>(Filter f) -> filter = f;
            case FilterResult.Error<Filter>(String message) -> {
                return new ClientMessage.NegRejected(subId, message);
            }
        }
        byte[] message = negMessage(p);
        return message == null ? negNotHex(subId) : new ClientMessage.NegOpen(subId, filter, message);
    }

    private static ClientMessage negMsg(JsonParser p) throws IOException {
        String subId = subId(p);
        if (subId == null) return malformed("NEG-MSG needs a subscription id of 1 to " + RelayLimits.MAX_SUBID_LENGTH + " characters");
        byte[] message = negMessage(p);
        return message == null ? negNotHex(subId) : new ClientMessage.NegMsg(subId, message);
    }

    private static ClientMessage negClose(JsonParser p) throws IOException {
        String subId = subId(p);
        return subId == null ? malformed("NEG-CLOSE needs a subscription id of 1 to " + RelayLimits.MAX_SUBID_LENGTH + " characters")
                : new ClientMessage.NegClose(subId);
    }

    /** The next element as a hex-encoded negentropy message (NIP-77), or null if it is not hex. */
    private static byte[] negMessage(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.VALUE_STRING) {
            p.skipChildren();
            return null;
        }
        String hex = p.getText();
        try {
            return Hex.decode(hex);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static ClientMessage negNotHex(String subId) {
        return new ClientMessage.NegRejected(subId, "invalid: the negentropy message must be a hex string");
    }

    /** NIP-01: subscription ids are non-empty strings of at most 64 characters. */
    private static String subId(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.VALUE_STRING) return null;
        String id = p.getText();
        return id.isEmpty() || id.length() > RelayLimits.MAX_SUBID_LENGTH ? null : id;
    }

    /** For a message over the size limit: the id of the event if it is an EVENT, so the client gets an OK. */
    static byte[] oversizedEventId(byte[] msg) {
        return claimedId(msg);
    }

    /** For a message over the size limit: the subscription id if it is a NEG-OPEN or NEG-MSG, so that session gets NEG-ERR. */
    static String oversizedNegSubId(byte[] msg) {
        try (JsonParser p = Json.parser(msg)) {
            if (p.nextToken() != JsonToken.START_ARRAY || p.nextToken() != JsonToken.VALUE_STRING) return null;
            String type = p.getText();
            return type.equals("NEG-OPEN") || type.equals("NEG-MSG") ? subId(p) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The id a refused EVENT claims, so the OK can name it; null if it has none of the right form. */
    private static byte[] claimedId(byte[] msg) {
        try (JsonParser p = Json.parser(msg)) {
            if (p.nextToken() != JsonToken.START_ARRAY || p.nextToken() != JsonToken.VALUE_STRING
                    || !p.getText().equals("EVENT") || p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (name.equals("id")) return v == JsonToken.VALUE_STRING ? anyCaseId(p.getText()) : null;
                p.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** 64 hex digits of either case: an uppercase id is refused as invalid (NIP-01: lowercase), with an OK naming it. */
    private static byte[] anyCaseId(String hex) {
        if (hex.length() != 64) return null;
        try {
            return Hex.decode(hex);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static ClientMessage malformed(String why) {
        return new ClientMessage.Malformed("invalid: " + why);
    }
}
