package dev.tern.blob;

import dev.tern.json.Json;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * BUD-04 {@code PUT /mirror}: fetches the blob at the URL in the body, streams it through {@link BlobIntake}
 * like an upload, and keeps it if its hash is one the upload token names. Runs on a transfer thread.
 */
final class BlobMirror {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Until the origin's answer head arrives. */
    private static final Duration HEAD_TIMEOUT = Duration.ofSeconds(30);

    private final BlobService service;
    private final BlobIntake intake;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    BlobMirror(BlobService service, BlobIntake intake) {
        this.service = service;
        this.intake = intake;
    }

    void handle(ChannelHandlerContext ctx, FullHttpRequest head) {
        BlobResponses.Request req = BlobResponses.Request.of(head);
        try {
            BlobAuth.Token token = service.auth.check(req.header(HttpHeaderNames.AUTHORIZATION), BlobAuth.Verb.UPLOAD,
                    req.header(HttpHeaderNames.HOST));
            String refusal = service.policy.refusal(token.pubkey());
            if (refusal != null) throw new BlobException(403, refusal);
            String sha = BlobRoutes.declaredSha(req);
            if (sha != null) BlobAuth.requireBlob(token, sha);
            URI url = urlOf(ByteBufUtil.getBytes(head.content()));
            String base = BlobRoutes.baseUrl(service, req);
            service.startTransfer(() -> mirror(ctx, req, token, sha, url, base));
        } catch (BlobException e) {
            BlobResponses.error(ctx, req, e);
        }
    }

    private void mirror(ChannelHandlerContext ctx, BlobResponses.Request req, BlobAuth.Token token, String sha, URI url, String base) {
        try {
            HttpResponse<InputStream> res;
            try {
                res = client.send(HttpRequest.newBuilder(url).timeout(HEAD_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new BlobException(502, "cannot fetch " + url + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BlobException(503, "the server is shutting down");
            }
            BlobIntake.Received got;
            try (InputStream body = res.body()) {
                if (res.statusCode() != 200) throw new BlobException(502, url + " answered " + res.statusCode());
                long length = res.headers().firstValueAsLong("content-length").orElse(-1);
                long max = service.settings.maxBlobBytes();
                if (length > max) throw new BlobException(413, "the blob is " + length + " bytes; the most accepted here is " + max);
                got = intake.receive(body, 502);
            } catch (IOException e) {
                throw new BlobException(502, "fetching " + url + " failed: " + e.getMessage());
            }
            // BUD-04: the mirrored blob's hash must be one the token's x tags name (409 if X-SHA-256 differs)
            BlobService.Stored s = intake.accept(got, sha, res.headers().firstValue("content-type").orElse(null), token, 409);
            byte[] json = Descriptors.one(base, new Descriptors.Descriptor(s.sha256(), s.meta(), s.uploaded()), true);
            BlobResponses.json(ctx, req, s.created() ? HttpResponseStatus.CREATED : HttpResponseStatus.OK, json);
        } catch (BlobException e) {
            BlobResponses.error(ctx, req, e);
        } catch (RuntimeException e) {
            BlobResponses.error(ctx, req, 500, "the mirror failed: " + e, false);
        }
    }

    /** The {@code url} of a body {@code {"url": "..."}}: http or https only. */
    static URI urlOf(byte[] body) {
        String url = null;
        try (JsonParser p = Json.parser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new BlobException(400, "the body must be a JSON object with a url");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (name.equals("url") && v == JsonToken.VALUE_STRING) url = p.getText();
                else p.skipChildren();
            }
        } catch (IOException e) {
            throw new BlobException(400, "the body is not JSON: " + e.getMessage());
        }
        if (url == null) throw new BlobException(400, "the body has no url");
        try {
            URI u = new URI(url);
            if (!"http".equalsIgnoreCase(u.getScheme()) && !"https".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
                throw new BlobException(400, "the url must be http:// or https://");
            }
            return u;
        } catch (java.net.URISyntaxException e) {
            throw new BlobException(400, "the url is malformed: " + e.getMessage());
        }
    }
}
