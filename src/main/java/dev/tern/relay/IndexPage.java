package dev.tern.relay;

import java.nio.charset.StandardCharsets;

/**
 * The page a browser gets on {@code GET /}: the relay's NIP-11 facts as plain HTML. A placeholder
 * until the web page is built, but every line on it is true.
 */
final class IndexPage {
    private IndexPage() {}

    static byte[] render(RelayInfo info) {
        StringBuilder s = new StringBuilder(1024);
        s.append("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>").append(esc(info.name()))
                .append("</title></head>\n<body>\n<h1>").append(esc(info.name())).append("</h1>\n<p>tern relay ")
                .append(esc(info.version())).append(" &mdash; a Nostr relay. Connect a Nostr client to <code>")
                .append(esc(info.relayUrl())).append("</code>.</p>\n");
        if (!info.description().isEmpty()) s.append("<p>").append(esc(info.description())).append("</p>\n");
        s.append("<p>Supported NIPs: ");
        for (int i = 0; i < RelayInfo.SUPPORTED_NIPS.size(); i++) {
            s.append(i > 0 ? ", " : "").append(RelayInfo.SUPPORTED_NIPS.get(i));
        }
        s.append("</p>\n");
        if (!info.contact().isEmpty()) s.append("<p>Contact: ").append(esc(info.contact())).append("</p>\n");
        if (!info.pubkey().isEmpty()) s.append("<p>Operator pubkey: <code>").append(esc(info.pubkey())).append("</code></p>\n");
        s.append("<p>The NIP-11 document is served here with <code>Accept: application/nostr+json</code>.</p>\n</body></html>\n");
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String esc(String v) {
        return v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
