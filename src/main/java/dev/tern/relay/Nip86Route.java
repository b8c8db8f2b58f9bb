package dev.tern.relay;

import dev.tern.acl.Acl;
import dev.tern.acl.AdminGuard;
import dev.tern.acl.Cidr;
import dev.tern.acl.Nip86Handler;
import dev.tern.acl.Nip98Validator;
import dev.tern.http.HttpResponses;
import dev.tern.http.HttpRoute;
import dev.tern.store.StoreWriter;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * NIP-86 relay management: {@code POST /} with {@code Content-Type: application/nostr+json+rpc}, admitted
 * by the {@link AdminGuard} (NIP-98 by an owner or admin, the payload tag required). The call runs as a
 * task on the store writer, the one thread allowed to change the store, so a ban's meta value and the
 * banned event's removal are ordered with every write; the answer goes back on the connection's loop.
 */
final class Nip86Route implements HttpRoute {
    private final AdminGuard guard;
    private final Nip86Handler handler;
    private final StoreWriter writer;

    Nip86Route(Acl acl, StoreWriter writer) {
        this.guard = acl.adminGuard();
        this.handler = acl.nip86();
        this.writer = writer;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest req) {
        String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
        if (!type.toLowerCase(Locale.ROOT).startsWith(Nip86Handler.CONTENT_TYPE)) {
            HttpResponses.text(ctx, req, HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
                    "NIP-86 requests need Content-Type: " + Nip86Handler.CONTENT_TYPE + "\n");
            return;
        }
        byte[] body = ByteBufUtil.getBytes(req.content());
        AdminGuard.Result access = guard.check(req.method().name(), absoluteUrl(req), req.headers().get(HttpHeaderNames.AUTHORIZATION),
                Nip98Validator.sha256(body), clientAddress(ctx, req));
        switch (access) {
            case AdminGuard.Result.Denied d -> reply(ctx, req, d.status(), errorJson(d.reason()));
            case AdminGuard.Result.Allowed a -> {
                boolean queued = writer.offerTask(store -> {
                    Nip86Handler.Response r = handler.handle(body, a.pubkey(), store::putMeta, id -> store.remove(id.bytes()));
                    ctx.channel().eventLoop().execute(() -> reply(ctx, req, r.status(), r.body()));
                });
                if (!queued) reply(ctx, req, 503, errorJson("the relay is busy writing; try again shortly"));
            }
        }
    }

    private static void reply(ChannelHandlerContext ctx, HttpRequest req, int status, byte[] json) {
        var res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(json));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        if (status == 401) res.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Nostr");
        HttpResponses.allowCors(res.headers());
        HttpResponses.send(ctx, req, res);
    }

    private static byte[] errorJson(String reason) {
        var b = new dev.tern.event.JsonBytes(128);
        b.ascii("{\"result\":null,\"error\":").string(reason).ascii("}");
        return b.toByteArray();
    }

    /** The URL the client asked for, as the NIP-98 u tag names it (the scheme a TLS proxy reports). */
    static String absoluteUrl(HttpRequest req) {
        String proto = req.headers().get("X-Forwarded-Proto");
        String scheme = proto == null || proto.isBlank() ? "http" : proto.split(",")[0].trim();
        return scheme + "://" + req.headers().get(HttpHeaderNames.HOST, "localhost") + req.uri();
    }

    /**
     * The peer, or behind a reverse proxy on this machine the last X-Forwarded-For entry (the one the
     * proxy added), so a remote client is never taken for a loopback one. Only literals: no DNS lookup.
     */
    static InetAddress clientAddress(ChannelHandlerContext ctx, HttpRequest req) {
        InetAddress peer = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        String forwarded = req.headers().get("X-Forwarded-For");
        if (!peer.isLoopbackAddress() || forwarded == null || forwarded.isBlank()) return peer;
        byte[] last = Cidr.parseAddress(forwarded.substring(forwarded.lastIndexOf(',') + 1).trim());
        try {
            // a garbled header stands for TEST-NET-1, never local
            return InetAddress.getByAddress(last != null ? last : new byte[] {(byte) 192, 0, 2, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 4 or 16 bytes always form an address
        }
    }
}
