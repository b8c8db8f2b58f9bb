package dev.tern.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Exact-path HTTP routing for the relay's port: {@code /healthz} now, {@code /api/...}, {@code /metrics}
 * and the page later. Unknown paths get 404, a known path with another method 405 with Allow.
 * Routes are registered before the server starts; lookups are then read-only and thread-safe.
 */
public final class HttpRouter {
    private final Map<String, Map<HttpMethod, HttpRoute>> routes = new HashMap<>();

    public HttpRouter add(HttpMethod method, String path, HttpRoute route) {
        if (routes.computeIfAbsent(path, p -> new HashMap<>()).putIfAbsent(method, route) != null) {
            throw new IllegalArgumentException("route already registered: " + method + " " + path);
        }
        return this;
    }

    public void route(ChannelHandlerContext ctx, FullHttpRequest req) {
        String path = new QueryStringDecoder(req.uri()).path();
        Map<HttpMethod, HttpRoute> byMethod = routes.get(path);
        if (byMethod == null) {
            HttpResponses.text(ctx, req, HttpResponseStatus.NOT_FOUND, "not found: " + path + "\n");
            return;
        }
        HttpRoute route = byMethod.get(req.method());
        if (route == null && req.method().equals(HttpMethod.HEAD)) route = byMethod.get(HttpMethod.GET);
        if (route == null) {
            var res = new io.netty.handler.codec.http.DefaultFullHttpResponse(req.protocolVersion(),
                    HttpResponseStatus.METHOD_NOT_ALLOWED, io.netty.buffer.Unpooled.EMPTY_BUFFER);
            TreeSet<String> allowed = new TreeSet<>();
            byMethod.keySet().forEach(m -> allowed.add(m.name()));
            res.headers().set(HttpHeaderNames.ALLOW, String.join(", ", allowed));
            HttpResponses.send(ctx, req, res);
            return;
        }
        route.handle(ctx, req);
    }
}
