package dev.tern.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * Sits between the HTTP codec and the aggregator, one per connection. A request for a
 * {@link StreamingRoute} is taken out of the pipeline here and its body handed over chunk by chunk,
 * so an upload never passes through the aggregator's size-capped buffer; every other message goes on
 * unchanged.
 */
public final class StreamingDispatcher extends ChannelInboundHandlerAdapter {
    private final HttpRouter router;
    private StreamingRoute.BodyReceiver receiver;
    /** True while the body of a request the route refused is being skipped. */
    private boolean discarding;

    public StreamingDispatcher(HttpRouter router) {
        this.router = router;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest req && receiver == null && !discarding) {
            StreamingRoute route = req.decoderResult().isSuccess() ? router.streamingRoute(req.method(), req.uri()) : null;
            if (route == null) {
                ctx.fireChannelRead(msg);
                return;
            }
            receiver = route.start(ctx, req);
            discarding = receiver == null;
            if (msg instanceof HttpContent c) body(ctx, c); // a request that came with its whole body
            else ReferenceCountUtil.release(msg);
        } else if (msg instanceof HttpContent c && (receiver != null || discarding)) {
            body(ctx, c);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void body(ChannelHandlerContext ctx, HttpContent c) {
        boolean last = c instanceof LastHttpContent;
        try {
            if (receiver != null) {
                if (c.content().isReadable()) receiver.content(c.content());
                if (last) receiver.end();
            }
        } catch (Exception e) {
            receiver.abort(e);
            receiver = null;
            // The rest of the body cannot be parsed: stop reading it.
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } finally {
            c.release();
        }
        if (last) {
            receiver = null;
            if (discarding) {
                discarding = false;
                ctx.close();
            }
        }
    }

    /** A body too slow to arrive ends its receiver with the reason; {@link RequestDeadlines} then closes. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof RequestDeadlines.BodyStalled stalled && receiver != null) {
            receiver.abort(new TimeoutException(stalled.reason()));
            receiver = null;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (receiver != null) {
            receiver.abort(new IOException("the connection closed before the end of the request body"));
            receiver = null;
        }
        super.channelInactive(ctx);
    }
}
