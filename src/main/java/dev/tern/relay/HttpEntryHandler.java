package dev.tern.relay;

import dev.tern.http.HttpResponses;
import dev.tern.http.HttpRouter;
import dev.tern.http.RequestDeadlines;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.buffer.Unpooled;
import dev.tern.acl.Decision;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The first stop of every HTTP request on the relay's port: a WebSocket upgrade turns the connection
 * into a relay connection; {@code Accept: application/nostr+json} gets the NIP-11 document (with CORS,
 * and OPTIONS preflights too); everything else goes to the {@link HttpRouter}. It also enforces the
 * connect-time {@link Admission} decision, answering 403 or 429 instead of silently dropping.
 */
final class HttpEntryHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final String NOSTR_JSON = "application/nostr+json";
    /** After the relay sends a close frame, how long the client has to close the connection before the relay does. */
    private static final long FORCE_CLOSE_MILLIS = 2000;
    private final RelayServer relay;
    private final Admission admission;
    /** Why admission refused this connection at accept (blocked, rate-limited, too many), else null. */
    private Decision.Deny refused;

    HttpEntryHandler(RelayServer relay, Admission admission) {
        this.relay = relay;
        this.admission = admission;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress remote) {
            InetAddress address = remote.getAddress();
            if (admission.connect(address) instanceof Decision.Deny d) {
                refused = d; // answered (403/429) on its first request, below
            } else {
                ctx.channel().closeFuture().addListener(f -> admission.disconnected(address));
            }
        }
        super.channelActive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            req.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            HttpResponses.text(ctx, req, HttpResponseStatus.BAD_REQUEST, "bad request\n");
            return;
        }
        if (refused != null) {
            req.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            HttpResponseStatus status = refused.message().startsWith("rate-limited:")
                    ? HttpResponseStatus.TOO_MANY_REQUESTS : HttpResponseStatus.FORBIDDEN;
            HttpResponses.text(ctx, req, status, refused.message() + "\n");
            return;
        }
        if (req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            upgrade(ctx, req);
        } else if (req.method().equals(HttpMethod.OPTIONS)) {
            var res = new DefaultFullHttpResponse(req.protocolVersion(), HttpResponseStatus.NO_CONTENT, Unpooled.EMPTY_BUFFER);
            HttpResponses.allowCors(res.headers());
            HttpResponses.send(ctx, req, res);
        } else if (acceptsNostrJson(req) && (req.method().equals(HttpMethod.GET) || req.method().equals(HttpMethod.HEAD))) {
            var res = new DefaultFullHttpResponse(req.protocolVersion(), HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(relay.nip11Document()));
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, NOSTR_JSON);
            HttpResponses.allowCors(res.headers());
            HttpResponses.send(ctx, req, res);
        } else {
            relay.router().route(ctx, req);
        }
    }

    /**
     * A connection closed in the middle of a request body (the client left, or was cut off as too slow)
     * is routine: the aggregator's report of it is not logged as a fault.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        if (!(cause instanceof PrematureChannelClosureException)) super.exceptionCaught(ctx, cause);
    }

    /**
     * Hands the upgrade request to Netty's WebSocket handshake and puts the relay protocol behind it. The
     * HTTP deadlines leave: a relay connection may idle; the handshake has the head's time to finish.
     */
    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest req) {
        RelayLimits limits = relay.config().limits();
        WebSocketServerProtocolConfig ws = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/").checkStartsWith(true)
                .allowExtensions(true)
                .maxFramePayloadLength(limits.frameCapBytes())
                // RelayConnection checks each message's UTF-8 once, in bulk; Netty's check goes a byte at a time
                // and took 4% of the event loops' time in a publish profile
                .withUTF8Validator(false)
                // RelayConnection answers a refused frame: a NOTICE saying why, then the close with its status
                .closeOnProtocolViolation(false)
                .forceCloseTimeoutMillis(FORCE_CLOSE_MILLIS)
                .handshakeTimeoutMillis(relay.config().httpTimeouts().header().toMillis())
                .build();
        var p = ctx.pipeline();
        p.remove(RequestDeadlines.NAME);
        // permessage-deflate when the client offers it; inflating is capped at the frame cap
        p.addAfter(ctx.name(), "ws-deflate", Compression.handler(limits.frameCapBytes()));
        p.addAfter("ws-deflate", "ws", new WebSocketServerProtocolHandler(ws) {
            @Override
            public void exceptionCaught(ChannelHandlerContext c, Throwable cause) throws Exception {
                // Netty's handler would close at once; RelayConnection sends the NOTICE and the close frame first
                if (cause instanceof WebSocketHandshakeException) super.exceptionCaught(c, cause);
                else c.fireExceptionCaught(cause);
            }
        });
        p.addAfter("ws", "ws-aggregate", new WebSocketFrameAggregator(limits.frameCapBytes()));
        p.addAfter("ws-aggregate", "relay", new RelayConnection(relay, limits, admission));
        ctx.fireChannelRead(req.retain());
        p.remove(this);
    }

    private static boolean acceptsNostrJson(FullHttpRequest req) {
        String accept = req.headers().get(HttpHeaderNames.ACCEPT);
        return accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains(NOSTR_JSON);
    }
}
