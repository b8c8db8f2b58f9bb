package dev.tern.blob;

import dev.tern.http.HttpTimeouts;
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

/**
 * BUD-04 {@code PUT /mirror}: fetches the blob at the URL in the body ({@link OriginFetch}: public addresses
 * only unless the operator allows others, a stalled origin cut off), streams it through {@link BlobIntake} like
 * an upload, and keeps it if its hash is one the upload token names. Runs on a transfer thread.
 */
final class BlobMirror {
    private final BlobService service;
    private final BlobIntake intake;
    private final OriginFetch origin;

    /** @param timeouts how long the origin may stall, as an upload's client may */
    BlobMirror(BlobService service, BlobIntake intake, HttpTimeouts timeouts) {
        this.service = service;
        this.intake = intake;
        this.origin = new OriginFetch(timeouts, service.settings.mirrorPrivate());
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
            OriginFetch.Answer res = origin.get(url);
            BlobIntake.Received got;
            try (InputStream body = res.body()) {
                long max = service.settings.maxBlobBytes();
                if (res.length() > max) throw new BlobException(413, "the blob is " + res.length() + " bytes; the most accepted here is " + max);
                got = intake.receive(body, 502);
            } catch (IOException e) {
                throw new BlobException(502, "fetching " + url + " failed: " + e.getMessage());
            }
            // BUD-04: the mirrored blob's hash must be one the token's x tags name (409 if X-SHA-256 differs)
            BlobService.Stored s = intake.accept(got, sha, res.type(), token, 409);
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
            return usable(new URI(url));
        } catch (java.net.URISyntaxException e) {
            throw new BlobException(400, "the url is malformed: " + e.getMessage());
        }
    }

    /** {@code u} if it is an http or https URL with a host (400 otherwise). */
    static URI usable(URI u) {
        if (!"http".equalsIgnoreCase(u.getScheme()) && !"https".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
            throw new BlobException(400, "the url must be http:// or https://");
        }
        return u;
    }
}
