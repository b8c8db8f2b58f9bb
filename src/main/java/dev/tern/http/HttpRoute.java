package dev.tern.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/** Answers one HTTP request on the relay's port; runs on the connection's event loop, so it must not block. */
@FunctionalInterface
public interface HttpRoute {
    void handle(ChannelHandlerContext ctx, FullHttpRequest request);
}
