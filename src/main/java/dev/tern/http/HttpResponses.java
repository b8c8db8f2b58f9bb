package dev.tern.http;

import dev.tern.json.Json;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Writing whole HTTP responses, honouring keep-alive. */
public final class HttpResponses {
    static final String JSON = "application/json";

    private HttpResponses() {}

    public static void send(ChannelHandlerContext ctx, HttpRequest req, HttpResponseStatus status, String contentType,
                            byte[] body) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        send(ctx, req, res);
    }

    public static void text(ChannelHandlerContext ctx, HttpRequest req, HttpResponseStatus status, String text) {
        send(ctx, req, status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /** An admin API error: {@code {"error": reason}} with {@code status} (README, Admin API). */
    public static void error(ChannelHandlerContext ctx, HttpRequest req, HttpResponseStatus status, String reason) {
        send(ctx, req, status, JSON, errorJson(reason));
    }

    /** The body of an admin API error. */
    static byte[] errorJson(String reason) {
        return Json.bytes(g -> {
            g.writeStartObject();
            g.writeStringField("error", reason);
            g.writeEndObject();
        });
    }

    /** Sends {@code res} with its Content-Length, closing the connection afterwards unless keep-alive applies. */
    public static void send(ChannelHandlerContext ctx, HttpRequest req, FullHttpResponse res) {
        HttpUtil.setContentLength(res, res.content().readableBytes());
        boolean keepAlive = HttpUtil.isKeepAlive(req) && res.status().code() < 500;
        HttpUtil.setKeepAlive(res, keepAlive);
        var f = ctx.writeAndFlush(res);
        if (!keepAlive) f.addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * The CORS headers NIP-11 requires, and BUD-01's for Blossom preflights: any origin, any header (Authorization
     * named, since '*' does not cover it), the methods clients use; browsers may keep the answer a day.
     */
    public static void allowCors(HttpHeaders h) {
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "Authorization, *");
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, HEAD, PUT, DELETE, POST, OPTIONS");
        h.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "86400");
    }
}
