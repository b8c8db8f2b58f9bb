package dev.tern.blob;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * Blossom answers: CORS on every one (BUD-01), errors with their reason in X-Reason (and as text, for curl).
 * Safe to call from any thread; Netty hands writes to the connection's event loop.
 */
final class BlobResponses {
    private BlobResponses() {}

    /** BUD-01: any origin may read every answer, and see why a request failed. */
    static void cors(HttpHeaders h) {
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        h.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, "X-Reason, Content-Length, Content-Range, ETag");
    }

    static void error(ChannelHandlerContext ctx, Request req, BlobException e) {
        error(ctx, req, e.status, e.getMessage(), false);
    }

    /**
     * {@code refusedBody}: the request's body will not be read but discarded by the dispatcher, which then closes the
     * connection; the answer says so, and goes out first, so a client still sending its body can read it.
     */
    static void error(ChannelHandlerContext ctx, Request req, int status, String reason, boolean refusedBody) {
        String oneLine = reason.replaceAll("[\\r\\n]+", " ");
        byte[] body = req.head() ? new byte[0] : (oneLine + "\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse res = response(HttpResponseStatus.valueOf(status), "text/plain; charset=utf-8", body);
        // header values must be printable ASCII
        res.headers().set("X-Reason", oneLine.replaceAll("[^\\x20-\\x7e]", "?"));
        if (refusedBody) res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        send(ctx, req, res);
    }

    static void json(ChannelHandlerContext ctx, Request req, HttpResponseStatus status, byte[] json) {
        FullHttpResponse res = response(status, "application/json", json);
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        send(ctx, req, res);
    }

    static void empty(ChannelHandlerContext ctx, Request req, HttpResponseStatus status) {
        send(ctx, req, response(status, null, new byte[0]));
    }

    private static FullHttpResponse response(HttpResponseStatus status, String type, byte[] body) {
        var res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        if (type != null) res.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        cors(res.headers());
        return res;
    }

    /** Sends {@code res}; the connection closes after it only if the client asked for that. */
    private static void send(ChannelHandlerContext ctx, Request req, FullHttpResponse res) {
        HttpUtil.setContentLength(res, res.content().readableBytes());
        if (!req.keepAlive()) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(res);
        }
    }

    /** What an answer needs of its request, kept after Netty releases the request itself. */
    record Request(String uri, boolean head, boolean keepAlive, HttpHeaders headers) {
        static Request of(io.netty.handler.codec.http.HttpRequest req) {
            return new Request(req.uri(), req.method().equals(HttpMethod.HEAD), HttpUtil.isKeepAlive(req), req.headers().copy());
        }

        String header(CharSequence name) {
            return headers.get(name);
        }
    }
}
