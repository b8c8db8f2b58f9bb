package dev.tern.sync;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tern.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * What a remote relay's NIP-11 document says about a sync: whether it lists NIP-77, and its
 * {@code limitation.max_message_length}. Either may be unknown (null): no document, or no such field.
 */
record RemoteInfo(Set<Integer> supportedNips, Integer maxMessageLength) {
    static final RemoteInfo UNKNOWN = new RemoteInfo(null, null);
    /** A NIP-11 document larger than this is not one. */
    private static final int MAX_DOCUMENT_BYTES = 256 * 1024;

    /** False only when the relay lists its NIPs and 77 is not among them. */
    boolean mayNegentropy() {
        return supportedNips == null || supportedNips.contains(77);
    }

    /** NIP-11: the relay's HTTP URL with {@code Accept: application/nostr+json}; UNKNOWN on any failure. */
    static RemoteInfo fetch(URI ws, Duration timeout) {
        try {
            URI http = new URI("wss".equals(ws.getScheme()) ? "https" : "http", ws.getRawAuthority(),
                    ws.getRawPath() == null || ws.getRawPath().isEmpty() ? "/" : ws.getRawPath(), null, null);
            HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
            HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(http).timeout(timeout)
                    .header("Accept", "application/nostr+json").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = r.body()) {
                if (r.statusCode() != 200) return UNKNOWN;
                byte[] doc = body.readNBytes(MAX_DOCUMENT_BYTES + 1);
                return doc.length > MAX_DOCUMENT_BYTES ? UNKNOWN : parse(doc);
            }
        } catch (IOException | java.net.URISyntaxException | IllegalArgumentException e) {
            return UNKNOWN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return UNKNOWN;
        }
    }

    static RemoteInfo parse(byte[] doc) {
        Set<Integer> nips = null;
        Integer maxMessage = null;
        try (JsonParser p = Json.parser(doc)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return UNKNOWN;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (field.equals("supported_nips") && t == JsonToken.START_ARRAY) {
                    nips = new HashSet<>();
                    while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
                        if (t == JsonToken.VALUE_NUMBER_INT) nips.add(p.getIntValue());
                        else if (t == JsonToken.VALUE_STRING && p.getText().matches("\\d{1,4}")) nips.add(Integer.parseInt(p.getText()));
                        else p.skipChildren();
                    }
                } else if (field.equals("limitation") && t == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        if (p.nextToken() == JsonToken.VALUE_NUMBER_INT && name.equals("max_message_length")) {
                            long v = p.getLongValue();
                            if (v > 0) maxMessage = (int) Math.min(Integer.MAX_VALUE, v);
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            return UNKNOWN;
        }
        return new RemoteInfo(nips, maxMessage);
    }
}
