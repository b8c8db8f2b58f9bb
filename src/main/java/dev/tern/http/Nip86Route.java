package dev.tern.http;

import dev.tern.acl.AdminGuard;
import dev.tern.acl.Nip86Calls;
import dev.tern.acl.Nip86Handler;
import dev.tern.acl.Nip98Validator;
import dev.tern.event.ByteKey;
import dev.tern.store.StoreMutations;
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
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * NIP-86 relay management: {@code POST /} with {@code Content-Type: application/nostr+json+rpc}, admitted
 * like the other admin endpoints by {@link AdminAccess} (NIP-98 by an owner or admin, the payload tag required). The call runs as a
 * task on the store writer, the one thread allowed to change the store, so a ban's meta value and the
 * removal of the banned event (or of the banned pubkey's blobs) are ordered with every write; the answer goes back on the connection's loop.
 */
final class Nip86Route implements HttpRoute {
    private final AdminAccess admin;
    private final Nip86Handler handler;
    private final StoreWriter writer;
    /** What a pubkey ban also removes (the Blossom server's blobs), with the ban's writer mutations. */
    private volatile BiConsumer<StoreMutations, ByteKey> purge = (m, pubkey) -> {};
    /** Where calls run: this node's writer unless {@link #routeThrough} names the cluster log. */
    private volatile Nip86Calls calls;

    Nip86Route(AdminAccess admin, Nip86Handler handler, StoreWriter writer) {
        this.admin = admin;
        this.handler = handler;
        this.writer = writer;
        this.calls = (body, caller, answer) -> writer.offerTask(store -> answer.accept(effect(store, body, caller)));
    }

    void routeThrough(Nip86Calls calls) {
        this.calls = calls;
    }

    /** A call's effect on the store, on the writer thread: the decision's meta value and what it removes. */
    Nip86Handler.Response effect(StoreMutations store, byte[] body, ByteKey caller) {
        BiConsumer<StoreMutations, ByteKey> banPurge = purge;
        return handler.handle(body, caller, store::putMeta, id -> store.remove(id.bytes()), pubkey -> banPurge.accept(store, pubkey));
    }

    void purgeOnBan(BiConsumer<StoreMutations, ByteKey> purge) {
        this.purge = purge;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest req) {
        String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
        if (!type.toLowerCase(Locale.ROOT).startsWith(Nip86Handler.CONTENT_TYPE)) {
            reply(ctx, req, 415, errorJson("NIP-86 requests need Content-Type: " + Nip86Handler.CONTENT_TYPE));
            return;
        }
        byte[] body = ByteBufUtil.getBytes(req.content());
        switch (admin.admit(ctx, req, Nip98Validator.sha256(body))) {
            case AdminGuard.Result.Denied d -> reply(ctx, req, d.status(), errorJson(d.reason()));
            case AdminGuard.Result.Allowed a -> {
                boolean queued = calls.submit(body, a.pubkey(),
                        r -> ctx.channel().eventLoop().execute(() -> reply(ctx, req, r.status(), r.body())));
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
}
