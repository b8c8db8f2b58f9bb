package dev.tern.relay;

import java.net.URI;
import java.util.List;

/**
 * What the relay says about itself (NIP-11) and the URL clients reach it at, whose host NIP-42 AUTH
 * events must name. Empty strings mean "not set" and are left out of the document.
 */
public record RelayInfo(String name, String description, String pubkey, String contact, String software,
                        String version, String relayUrl) {
    /** NIPs this relay implements, as NIP-11 supported_nips. */
    public static final List<Integer> SUPPORTED_NIPS = List.of(1, 9, 11, 17, 40, 42, 45, 59, 62, 70);

    public RelayInfo {
        if (!pubkey.isEmpty() && !dev.tern.event.Hex.isLowerHex(pubkey, 64)) {
            throw new IllegalArgumentException("relay pubkey must be 64 lowercase hex characters");
        }
        URI u = URI.create(relayUrl);
        if (u.getHost() == null || !("ws".equals(u.getScheme()) || "wss".equals(u.getScheme()))) {
            throw new IllegalArgumentException("relay URL must be ws:// or wss:// with a host, got " + relayUrl);
        }
    }

    /** The host of the relay URL, lower-cased; NIP-42 says checking the domain is enough. */
    public String host() {
        return URI.create(relayUrl).getHost().toLowerCase(java.util.Locale.ROOT);
    }
}
