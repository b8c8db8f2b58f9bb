package dev.tern.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The operator page: a few static files from the jar ({@code src/main/resources/web}), read once at
 * start. Browsers revalidate them with an ETag, so a new jar's page shows without a hard reload.
 */
public final class WebAssets {
    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/web/app.css", "app.css",
            "/web/app.js", "app.js");

    private record Asset(byte[] body, String contentType, String etag) {}

    private WebAssets() {}

    public static void register(HttpRouter router) {
        FILES.forEach((path, file) -> {
            Asset a = load(file);
            router.add(HttpMethod.GET, path, (ctx, req) -> serve(ctx, req, a));
        });
    }

    private static void serve(ChannelHandlerContext ctx, FullHttpRequest req, Asset a) {
        if (a.etag.equals(req.headers().get(HttpHeaderNames.IF_NONE_MATCH))) {
            var res = new DefaultFullHttpResponse(req.protocolVersion(), HttpResponseStatus.NOT_MODIFIED, Unpooled.EMPTY_BUFFER);
            res.headers().set(HttpHeaderNames.ETAG, a.etag);
            HttpResponses.send(ctx, req, res);
            return;
        }
        var res = new DefaultFullHttpResponse(req.protocolVersion(), HttpResponseStatus.OK,
                req.method().equals(HttpMethod.HEAD) ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(a.body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, a.contentType)
                .set(HttpHeaderNames.ETAG, a.etag)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                .set("X-Content-Type-Options", "nosniff")
                .set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
        HttpResponses.send(ctx, req, res);
    }

    private static Asset load(String file) {
        try (InputStream in = WebAssets.class.getResourceAsStream("/web/" + file)) {
            if (in == null) throw new IllegalStateException("web/" + file + " is missing from the jar");
            byte[] body = in.readAllBytes();
            String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body), 0, 8) + "\"";
            return new Asset(body, contentType(file), etag);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }

    private static String contentType(String file) {
        if (file.endsWith(".html")) return "text/html; charset=utf-8";
        if (file.endsWith(".css")) return "text/css; charset=utf-8";
        return "text/javascript; charset=utf-8";
    }
}
