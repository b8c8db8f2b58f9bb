package dev.tern.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.function.BooleanSupplier;

/** {@code GET /healthz}: 200 "ok" while the process is up and the store is open, else 503. */
public final class HealthRoute implements HttpRoute {
    private final BooleanSupplier storeOpen;

    public HealthRoute(BooleanSupplier storeOpen) {
        this.storeOpen = storeOpen;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (storeOpen.getAsBoolean()) {
            HttpResponses.text(ctx, req, HttpResponseStatus.OK, "ok\n");
        } else {
            HttpResponses.text(ctx, req, HttpResponseStatus.SERVICE_UNAVAILABLE, "store closed\n");
        }
    }
}
