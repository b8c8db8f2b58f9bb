package dev.tern.relay;

/**
 * Per-client limits, advertised in the NIP-11 {@code limitation} object. A zero created_at limit or
 * event rate means "no limit".
 *
 * @param maxMessageBytes         largest WebSocket message acted upon (NIP-11 max_message_length)
 * @param maxSubscriptions        open subscriptions per connection
 * @param maxFilters              filters in one REQ or COUNT
 * @param maxFilterValues         values in one list of a filter (ids, authors, kinds, #x): a home feed's authors
 * @param maxLimit                a filter's limit is clamped to this (NIP-11 max_limit)
 * @param defaultLimit            events returned for a filter without a limit (NIP-11 default_limit)
 * @param maxEventTags            tags in one event
 * @param maxContentLength        characters (code points) in an event's content
 * @param createdAtLowerLimit     seconds an event's created_at may lie in the past
 * @param createdAtUpperLimit     seconds an event's created_at may lie in the future
 * @param maxConnectionsPerIp     concurrent connections from one address
 * @param eventsPerSecond         sustained EVENT rate per connection (token bucket refill)
 * @param eventBurst              token bucket size
 * @param maxEventsInFlight       a connection's EVENTs waiting for the writer before it stops reading
 * @param outboundBufferBytes     bytes queued towards one client before it counts as slow
 * @param slowConsumerGraceMillis how long a slow client may stay unwritable before it is disconnected
 */
public record RelayLimits(int maxMessageBytes, int maxSubscriptions, int maxFilters, int maxFilterValues, int maxLimit,
                          int defaultLimit, int maxEventTags, int maxContentLength, long createdAtLowerLimit, long createdAtUpperLimit,
                          int maxConnectionsPerIp, double eventsPerSecond, int eventBurst, int maxEventsInFlight,
                          int outboundBufferBytes, long slowConsumerGraceMillis) {
    /** NIP-01 caps subscription ids at 64 characters. */
    public static final int MAX_SUBID_LENGTH = 64;

    /**
     * What real clients send (README "Limits"): nostr-tools' SimplePool.subscribeMap sends one filter per author
     * in one REQ (strfry allows 200 filters), a home feed lists every follow in one filter, and a follow list
     * (kind 3) of an active user holds thousands of p tags; 1 MiB messages carry what `tern import` accepts as a
     * line. The cost of a big REQ is held by the store's scan budget.
     */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_SUBSCRIPTIONS = 64;
    public static final int DEFAULT_MAX_FILTERS = 200;
    public static final int DEFAULT_MAX_FILTER_VALUES = 5000;
    public static final int DEFAULT_MAX_LIMIT = 5000;
    public static final int DEFAULT_DEFAULT_LIMIT = 500;
    public static final int DEFAULT_MAX_EVENT_TAGS = 2500;
    public static final int DEFAULT_MAX_CONTENT_LENGTH = 65_536;
    public static final long DEFAULT_CREATED_AT_LOWER_LIMIT = 0;
    public static final long DEFAULT_CREATED_AT_UPPER_LIMIT = 900;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 256;
    public static final int DEFAULT_EVENTS_PER_SECOND = 100;
    public static final int DEFAULT_EVENT_BURST = 500;
    public static final int DEFAULT_MAX_EVENTS_IN_FLIGHT = 64;
    public static final int DEFAULT_OUTBOUND_BUFFER_BYTES = 1 << 20;
    public static final long DEFAULT_SLOW_CONSUMER_GRACE_MILLIS = 30_000;
    /** The defaults above, which `tern serve`'s options also show and fall back to. */
    public static final RelayLimits DEFAULTS = new RelayLimits(DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_SUBSCRIPTIONS, DEFAULT_MAX_FILTERS,
            DEFAULT_MAX_FILTER_VALUES, DEFAULT_MAX_LIMIT, DEFAULT_DEFAULT_LIMIT, DEFAULT_MAX_EVENT_TAGS, DEFAULT_MAX_CONTENT_LENGTH,
            DEFAULT_CREATED_AT_LOWER_LIMIT, DEFAULT_CREATED_AT_UPPER_LIMIT, DEFAULT_MAX_CONNECTIONS_PER_IP, DEFAULT_EVENTS_PER_SECOND,
            DEFAULT_EVENT_BURST, DEFAULT_MAX_EVENTS_IN_FLIGHT, DEFAULT_OUTBOUND_BUFFER_BYTES, DEFAULT_SLOW_CONSUMER_GRACE_MILLIS);

    public RelayLimits {
        if (maxMessageBytes < 1024) throw new IllegalArgumentException("max message bytes must be at least 1024");
        if (maxSubscriptions < 1 || maxFilters < 1 || maxFilterValues < 1 || maxLimit < 1 || defaultLimit < 1 || maxEventTags < 0
                || maxContentLength < 0 || maxConnectionsPerIp < 1 || maxEventsInFlight < 1) {
            throw new IllegalArgumentException("relay limits must be positive");
        }
        if (createdAtLowerLimit < 0 || createdAtUpperLimit < 0 || eventsPerSecond < 0 || eventBurst < 0) {
            throw new IllegalArgumentException("created_at limits and event rates must not be negative");
        }
        if (outboundBufferBytes < 4096) throw new IllegalArgumentException("outbound buffer must be at least 4096 bytes");
        if (slowConsumerGraceMillis < 1) throw new IllegalArgumentException("slow consumer grace must be positive");
    }

    /**
     * NIP-02 follow lists and NIP-51 lists (kind 3, 10000-19999) grow with their owner's follows, mutes and
     * bookmarks, so the tag and content caps do not apply to them: the message size bounds them, as the line
     * size bounds them in an import.
     */
    public static boolean isList(int kind) {
        return kind == 3 || (kind >= 10_000 && kind < 20_000);
    }

    /** Netty closes the connection on frames above this; between maxMessageBytes and it we answer with a NOTICE. */
    int frameCapBytes() {
        return (int) Math.min(Integer.MAX_VALUE - 8, 2L * maxMessageBytes);
    }

    /** The limit a filter is queried with: its own, clamped to max_limit, or default_limit (NIP-11). */
    int effectiveLimit(Integer limit) {
        return limit == null ? Math.min(defaultLimit, maxLimit) : Math.min(limit, maxLimit);
    }
}
