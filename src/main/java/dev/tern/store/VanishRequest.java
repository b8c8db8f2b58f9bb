package dev.tern.store;

import dev.tern.event.Event;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * NIP-62: a kind 62 event asks the relays its {@code relay} tags name ({@code ALL_RELAYS}: every relay) to
 * delete everything its pubkey published up to its created_at, and gift wraps addressed to it (NIP-59).
 */
public final class VanishRequest {
    public static final int KIND = 62;
    static final String ALL_RELAYS = "ALL_RELAYS";

    private VanishRequest() {}

    /** True if {@code e} is a request to vanish that names the relay at {@code relayHost} (empty: only ALL_RELAYS does). */
    public static boolean namesRelay(Event e, String relayHost) {
        if (e.kind() != KIND) return false;
        for (List<String> t : e.tags()) {
            if (t.size() < 2 || !"relay".equals(t.get(0))) continue;
            String v = t.get(1).trim();
            if (ALL_RELAYS.equals(v) || (!relayHost.isEmpty() && relayHost.equals(hostOf(v)))) return true;
        }
        return false;
    }

    /** The host of a relay URL, lower-cased (NIP-42 too compares hosts); null if it is not a URL. */
    private static String hostOf(String url) {
        try {
            String host = URI.create(url).getHost();
            return host == null ? null : host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
