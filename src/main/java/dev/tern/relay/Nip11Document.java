package dev.tern.relay;

import dev.tern.event.JsonBytes;

/** The NIP-11 relay information document, rendered once at start from the configuration. */
final class Nip11Document {
    private Nip11Document() {}

    static byte[] render(RelayInfo info, RelayLimits limits, AuthMode auth) {
        JsonBytes b = new JsonBytes(1024);
        b.ascii("{\"name\":").string(info.name());
        b.ascii(",\"description\":").string(info.description());
        if (!info.pubkey().isEmpty()) b.ascii(",\"pubkey\":").string(info.pubkey());
        if (!info.contact().isEmpty()) b.ascii(",\"contact\":").string(info.contact());
        if (!info.software().isEmpty()) b.ascii(",\"software\":").string(info.software());
        b.ascii(",\"version\":").string(info.version());
        b.ascii(",\"supported_nips\":[");
        for (int i = 0; i < RelayInfo.SUPPORTED_NIPS.size(); i++) {
            if (i > 0) b.raw((byte) ',');
            b.number(RelayInfo.SUPPORTED_NIPS.get(i));
        }
        b.ascii("],\"limitation\":{");
        b.ascii("\"max_message_length\":").number(limits.maxMessageBytes());
        b.ascii(",\"max_subscriptions\":").number(limits.maxSubscriptions());
        b.ascii(",\"max_filters\":").number(limits.maxFilters());
        b.ascii(",\"max_limit\":").number(limits.maxLimit());
        b.ascii(",\"default_limit\":").number(limits.defaultLimit());
        b.ascii(",\"max_subid_length\":").number(RelayLimits.MAX_SUBID_LENGTH);
        b.ascii(",\"max_event_tags\":").number(limits.maxEventTags());
        b.ascii(",\"max_content_length\":").number(limits.maxContentLength());
        if (limits.createdAtLowerLimit() > 0) b.ascii(",\"created_at_lower_limit\":").number(limits.createdAtLowerLimit());
        if (limits.createdAtUpperLimit() > 0) b.ascii(",\"created_at_upper_limit\":").number(limits.createdAtUpperLimit());
        b.ascii(",\"auth_required\":").ascii(auth == AuthMode.ALL ? "true" : "false");
        b.ascii(",\"restricted_writes\":").ascii(auth.writeNeedsAuth() ? "true" : "false");
        b.ascii(",\"payment_required\":false");
        b.ascii("}}");
        return b.toByteArray();
    }
}
