package dev.tern.acl;

import dev.tern.json.Json;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.tern.event.ByteKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NIP-86 relay management: a JSON-RPC-like {@code {"method":..,"params":[..]}} request in, a
 * {@code {"result":..}} or {@code {"result":null,"error":..}} response out. The caller has already
 * passed the {@link AdminGuard}. Changes persist in {@link ManagedState} and apply at once; a banned
 * event is also deleted from the store, and a banned pubkey's blobs (through the {@link PubkeyPurger}).
 * Streaming jackson-core only.
 */
public final class Nip86Handler {
    private static final Logger log = LoggerFactory.getLogger(Nip86Handler.class);
    public static final String CONTENT_TYPE = "application/nostr+json+rpc";
    /** Requests are a method name and a few short parameters; larger bodies are refused unread. */
    public static final int MAX_REQUEST_BYTES = 64 * 1024;

    /** Every method this relay answers, in the order supportedmethods lists them. */
    public static final List<String> METHODS = List.of(
            "supportedmethods",
            "banpubkey", "unbanpubkey", "listbannedpubkeys",
            "allowpubkey", "unallowpubkey", "listallowedpubkeys",
            "banevent", "allowevent", "listbannedevents",
            "changerelayname", "changerelaydescription", "changerelayicon",
            "allowkind", "disallowkind", "listallowedkinds", "listdisallowedkinds",
            "blockip", "unblockip", "listblockedips");

    private final ManagedState state;

    public Nip86Handler(ManagedState state) {
        this.state = state;
    }

    /** The HTTP status and JSON body to send. */
    public record Response(int status, byte[] body) {}

    private record Request(String method, List<Object> params) {}

    /** Thrown for a request that is well-formed JSON but cannot be carried out; becomes the error field. */
    private static final class CallError extends RuntimeException {
        CallError(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Handles one request body; {@code caller} (the NIP-98 signer, or null for a loopback client) is logged.
     * Changes persist through {@code meta}, a banned event is removed through {@code deleter} and what a banned
     * pubkey stored beside its events through {@code purger}: in the relay all three are the store writer's,
     * since the call runs as one of its tasks.
     */
    public Response handle(byte[] body, ByteKey caller, MetaWriter meta, EventDeleter deleter, PubkeyPurger purger) {
        if (body.length > MAX_REQUEST_BYTES) return error(413, "request larger than " + MAX_REQUEST_BYTES + " bytes");
        Request req;
        try {
            req = parse(body);
        } catch (CallError e) {
            return error(400, e.getMessage());
        } catch (IOException e) {
            return error(400, "request is not valid JSON");
        }
        Json.Body result;
        try {
            result = call(req, meta, deleter, purger);
        } catch (CallError | IllegalArgumentException | IllegalStateException e) {
            return error(200, e.getMessage());
        }
        log.info("NIP-86 {} {} by {}", req.method(), req.params(), caller == null ? "a loopback client" : caller);
        return respond(200, g -> {
            g.writeFieldName("result");
            result.write(g);
        });
    }

    private Json.Body call(Request r, MetaWriter meta, EventDeleter deleter, PubkeyPurger purger) {
        List<Object> p = r.params();
        return switch (r.method()) {
            case "supportedmethods" -> g -> {
                g.writeStartArray();
                for (String m : METHODS) g.writeString(m);
                g.writeEndArray();
            };
            case "banpubkey" -> done(() -> {
                ByteKey pubkey = pubkey(p);
                state.banPubkey(meta, pubkey, reason(p)); // first, so no new upload lands while its blobs go
                purger.purge(pubkey);
            });
            case "unbanpubkey" -> done(() -> state.unbanPubkey(meta, pubkey(p)));
            case "listbannedpubkeys" -> list(state.bannedPubkeys(), "pubkey");
            case "allowpubkey" -> done(() -> state.allowPubkey(meta, pubkey(p), reason(p)));
            case "unallowpubkey" -> done(() -> state.unallowPubkey(meta, pubkey(p)));
            case "listallowedpubkeys" -> list(state.allowedPubkeys(), "pubkey");
            case "banevent" -> done(() -> {
                ByteKey id = hexParam(p, "event id");
                state.banEvent(meta, id, reason(p)); // first, so the event cannot come back while it is deleted
                deleter.delete(id);
            });
            case "allowevent" -> done(() -> state.allowEvent(meta, hexParam(p, "event id")));
            case "listbannedevents" -> list(state.bannedEvents(), "id");
            case "changerelayname" -> done(() -> state.setRelayName(meta, string(p, 0, "name")));
            case "changerelaydescription" -> done(() -> state.setRelayDescription(meta, string(p, 0, "description")));
            case "changerelayicon" -> done(() -> state.setRelayIcon(meta, string(p, 0, "icon URL")));
            case "allowkind" -> done(() -> state.allowKind(meta, kind(p)));
            case "disallowkind" -> done(() -> state.disallowKind(meta, kind(p)));
            case "listallowedkinds" -> kinds(state.allowedKinds());
            case "listdisallowedkinds" -> kinds(state.disallowedKinds());
            case "blockip" -> done(() -> state.blockIp(meta, Cidr.parse(string(p, 0, "IP address")), reason(p)));
            case "unblockip" -> done(() -> state.unblockIp(meta, Cidr.parse(string(p, 0, "IP address"))));
            case "listblockedips" -> g -> {
                g.writeStartArray();
                for (Map.Entry<Cidr, String> e : state.blockedIps().entrySet()) {
                    g.writeStartObject();
                    g.writeStringField("ip", e.getKey().toString());
                    g.writeStringField("reason", e.getValue());
                    g.writeEndObject();
                }
                g.writeEndArray();
            };
            default -> throw new CallError("unsupported method '" + r.method() + "'");
        };
    }

    /** Runs a change now (so its failure becomes the error) and answers {@code true}. */
    private static Json.Body done(Runnable change) {
        change.run();
        return g -> g.writeBoolean(true);
    }

    private static Json.Body list(Map<ByteKey, String> entries, String field) {
        return g -> {
            g.writeStartArray();
            for (Map.Entry<ByteKey, String> e : entries.entrySet()) {
                g.writeStartObject();
                g.writeStringField(field, e.getKey().toString());
                g.writeStringField("reason", e.getValue());
                g.writeEndObject();
            }
            g.writeEndArray();
        };
    }

    private static Json.Body kinds(Iterable<Integer> kinds) {
        return g -> {
            g.writeStartArray();
            for (int k : kinds) g.writeNumber(k);
            g.writeEndArray();
        };
    }

    private static ByteKey pubkey(List<Object> p) {
        return hexParam(p, "pubkey");
    }

    private static ByteKey hexParam(List<Object> p, String what) {
        String s = string(p, 0, what);
        try {
            return ManagedState.parseHexKey(s);
        } catch (IllegalArgumentException e) {
            throw new CallError(what + " " + e.getMessage());
        }
    }

    private static String reason(List<Object> p) {
        return p.size() > 1 && p.get(1) instanceof String s ? s : "";
    }

    private static String string(List<Object> p, int i, String what) {
        if (p.size() <= i || !(p.get(i) instanceof String s)) throw new CallError("params[" + i + "] must be the " + what + " (a string)");
        return s;
    }

    private static int kind(List<Object> p) {
        Object v = p.isEmpty() ? null : p.get(0);
        try {
            if (v instanceof Long l) return ManagedState.parseKind(String.valueOf(l));
            if (v instanceof String s) return ManagedState.parseKind(s);
        } catch (IllegalArgumentException e) {
            throw new CallError("params[0] " + e.getMessage());
        }
        throw new CallError("params[0] must be the kind (a number)");
    }

    private static Request parse(byte[] body) throws IOException {
        String method = null;
        List<Object> params = List.of();
        try (JsonParser jp = Json.parser(body)) {
            if (jp.nextToken() != JsonToken.START_OBJECT) throw new CallError("request must be a JSON object");
            while (jp.nextToken() == JsonToken.FIELD_NAME) {
                String field = jp.currentName();
                JsonToken v = jp.nextToken();
                switch (field) {
                    case "method" -> {
                        if (v != JsonToken.VALUE_STRING) throw new CallError("'method' must be a string");
                        method = jp.getText();
                    }
                    case "params" -> params = parseParams(jp, v);
                    default -> jp.skipChildren();
                }
            }
            if (jp.nextToken() != null) throw new CallError("trailing data after the request");
        } catch (JsonProcessingException e) {
            throw new CallError("request is not valid JSON");
        }
        if (method == null) throw new CallError("missing 'method'");
        return new Request(method, params);
    }

    /** Params are strings and integers; anything else (nested values, fractions) is refused. */
    private static List<Object> parseParams(JsonParser jp, JsonToken start) throws IOException {
        if (start != JsonToken.START_ARRAY) throw new CallError("'params' must be an array");
        List<Object> out = new ArrayList<>();
        JsonToken t;
        while ((t = jp.nextToken()) != JsonToken.END_ARRAY) {
            switch (t) {
                case VALUE_STRING -> out.add(jp.getText());
                case VALUE_NUMBER_INT -> out.add(jp.getLongValue());
                default -> throw new CallError("params must be strings or integers");
            }
        }
        return out;
    }

    /** The answer to a call that could not be carried out now (the cluster log away): 503 with the reason. */
    public static Response unavailable(String message) {
        return error(503, message);
    }

    private static Response error(int status, String message) {
        return respond(status, g -> {
            g.writeNullField("result");
            g.writeStringField("error", message);
        });
    }

    private static Response respond(int status, Json.Body fields) {
        return new Response(status, Json.bytes(g -> {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        }));
    }
}
