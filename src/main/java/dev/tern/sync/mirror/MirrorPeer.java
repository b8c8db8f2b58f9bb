package dev.tern.sync.mirror;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tern.filter.Filter;
import dev.tern.json.Json;
import dev.tern.sync.Direction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;

/**
 * One relay that {@code TERN_MIRROR} names: its URL, the events to mirror (a NIP-01 filter, as JSON and parsed)
 * and which way they go (down: from the peer to us, up: from us to the peer, both).
 */
public record MirrorPeer(URI url, Direction direction, Filter filter, String filterJson) {

    /**
     * The live subscription's filter: the peer's filter with {@code since} raised to {@code since} (never lowered
     * below the filter's own) and no {@code limit}, so the peer sends what it holds from then on and then new events.
     */
    String liveFilterJson(long since) {
        long from = filter.since() == null ? since : Math.max(since, filter.since());
        return Json.string(g -> {
            g.writeStartObject();
            try (JsonParser p = Json.parser(filterJson)) {
                p.nextToken(); // the filter's START_OBJECT, checked when it was parsed
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    if (name.equals("since") || name.equals("limit")) {
                        p.skipChildren();
                    } else {
                        g.writeFieldName(name);
                        g.copyCurrentStructure(p);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e); // parsed once already, so it parses again
            }
            g.writeNumberField("since", from);
            g.writeEndObject();
        });
    }
}
