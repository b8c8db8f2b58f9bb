package dev.tern.http;

import dev.tern.metrics.Metrics;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;

/** {@code GET /metrics}: every metric in the Prometheus text format. */
final class MetricsRoute implements HttpRoute {
    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest req) {
        Metrics m = Metrics.get();
        var buf = ctx.alloc().heapBuffer(16 * 1024);
        try (ByteBufOutputStream out = new ByteBufOutputStream(buf)) {
            m.writeText(out);
        } catch (IOException | RuntimeException e) {
            buf.release();
            HttpResponses.text(ctx, req, HttpResponseStatus.INTERNAL_SERVER_ERROR, "metrics failed: " + e + "\n");
            return;
        }
        var res = new DefaultFullHttpResponse(req.protocolVersion(), HttpResponseStatus.OK, buf);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, m.contentType());
        HttpResponses.send(ctx, req, res);
    }
}
