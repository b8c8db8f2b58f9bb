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
 * Exact-path HTTP routing for the relay's port: {@code /healthz}, {@code /api/...}, {@code /metrics}
 * and the page. Unknown paths get 404, a known path with another method 405 with Allow; under {@code /api/}
 * with a JSON body, like every admin API error. A path ending
 * in '/' registered with {@link #addPrefix} also answers every path below it ({@code /api/import/ID}).
 * Streaming routes ({@link #addStreaming}) get their request body chunk by chunk instead of
 * aggregated (uploads); see {@link StreamingDispatcher}.
 * Routes are registered before the server starts; lookups are then read-only and thread-safe.
 */
public final class HttpRouter {
    private final Map<String, Map<HttpMethod, HttpRoute>> routes = new HashMap<>();
    private final Map<String, Map<HttpMethod, HttpRoute>> prefixRoutes = new HashMap<>();
    private final Map<String, Map<HttpMethod, StreamingRoute>> streamingRoutes = new HashMap<>();

    public HttpRouter add(HttpMethod method, String path, HttpRoute route) {
        if (routes.computeIfAbsent(path, p -> new HashMap<>()).putIfAbsent(method, route) != null) {
            throw new IllegalArgumentException("route already registered: " + method + " " + path);
        }
        return this;
    }

    /** Routes {@code prefix} (ending in '/') and every path below it that has no exact route. */
    public HttpRouter addPrefix(HttpMethod method, String prefix, HttpRoute route) {
        if (!prefix.endsWith("/")) throw new IllegalArgumentException("a prefix route ends in '/': " + prefix);
        if (prefixRoutes.computeIfAbsent(prefix, p -> new HashMap<>()).putIfAbsent(method, route) != null) {
            throw new IllegalArgumentException("route already registered: " + method + " " + prefix);
        }
        return this;
    }

    /** A route that receives its request body as it arrives (uploads), never aggregated. */
    public HttpRouter addStreaming(HttpMethod method, String path, StreamingRoute route) {
        if (streamingRoutes.computeIfAbsent(path, p -> new HashMap<>()).putIfAbsent(method, route) != null) {
            throw new IllegalArgumentException("route already registered: " + method + " " + path);
        }
        return this;
    }

    /** The streaming route for this request line, or null if it is an ordinary (aggregated) request. */
    public StreamingRoute streamingRoute(HttpMethod method, String uri) {
        Map<HttpMethod, StreamingRoute> byMethod = streamingRoutes.get(new QueryStringDecoder(uri).path());
        return byMethod == null ? null : byMethod.get(method);
    }

    public void route(ChannelHandlerContext ctx, FullHttpRequest req) {
        String path = new QueryStringDecoder(req.uri()).path();
        Map<HttpMethod, HttpRoute> byMethod = routes.get(path);
        if (byMethod == null) byMethod = prefixRoutesFor(path);
        boolean api = path.startsWith("/api/");
        if (byMethod == null) {
            if (api) HttpResponses.error(ctx, req, HttpResponseStatus.NOT_FOUND, "not found: " + path);
            else HttpResponses.text(ctx, req, HttpResponseStatus.NOT_FOUND, "not found: " + path + "\n");
            return;
        }
        HttpRoute route = byMethod.get(req.method());
        if (route == null && req.method().equals(HttpMethod.HEAD)) route = byMethod.get(HttpMethod.GET);
        if (route == null) {
            TreeSet<String> allowed = new TreeSet<>();
            byMethod.keySet().forEach(m -> allowed.add(m.name()));
            var res = new io.netty.handler.codec.http.DefaultFullHttpResponse(req.protocolVersion(),
                    HttpResponseStatus.METHOD_NOT_ALLOWED, api
                            ? io.netty.buffer.Unpooled.wrappedBuffer(HttpResponses.errorJson(req.method() + " is not allowed; use " + String.join(", ", allowed)))
                            : io.netty.buffer.Unpooled.EMPTY_BUFFER);
            if (api) res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpResponses.JSON);
            res.headers().set(HttpHeaderNames.ALLOW, String.join(", ", allowed));
            HttpResponses.send(ctx, req, res);
            return;
        }
        route.handle(ctx, req);
    }

    private Map<HttpMethod, HttpRoute> prefixRoutesFor(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? null : prefixRoutes.get(path.substring(0, slash + 1));
    }
}
