package dev.tern.relay;

import dev.tern.event.Event;
import java.net.URI;
import java.util.Locale;

/** Checks a NIP-42 AUTH event (signature already verified by the parser). */
final class AuthVerifier {
    static final int AUTH_KIND = 22242;
    /** NIP-42: created_at must be close to now, "e.g. within ~10 minutes". */
    static final long MAX_SKEW_SECONDS = 600;

    private final String relayHost;

    AuthVerifier(String relayHost) {
        this.relayHost = relayHost;
    }

    /** Null if the event authenticates its pubkey for this challenge, else the reason (with an OK prefix). */
    String check(Event e, String challenge, long nowSeconds) {
        if (e.kind() != AUTH_KIND) return "invalid: AUTH event must be of kind 22242";
        if (Math.abs(e.createdAt() - nowSeconds) > MAX_SKEW_SECONDS) {
            return "invalid: AUTH event created_at must be within 10 minutes of now";
        }
        if (!challenge.equals(e.firstTagValue("challenge"))) return "invalid: AUTH challenge does not match";
        String relay = e.firstTagValue("relay");
        if (relay == null || !relayHost.equals(hostOf(relay))) {
            return "invalid: AUTH relay tag must name this relay (" + relayHost + ")";
        }
        return null;
    }

    private static String hostOf(String url) {
        try {
            String host = URI.create(url.trim()).getHost();
            return host == null ? null : host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
