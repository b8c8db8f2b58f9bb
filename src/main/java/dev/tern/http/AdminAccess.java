package dev.tern.http;

import dev.tern.acl.AdminGuard;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Admits requests to the admin endpoints through the ACL's {@link AdminGuard}: NIP-98 when owners or
 * admins are configured, loopback clients otherwise. Behind a reverse proxy on the same machine every
 * peer is loopback, so the client is then the last X-Forwarded-For entry (the one the proxy added);
 * only a loopback peer's header is believed.
 */
public final class AdminAccess {
    private final AdminGuard guard;

    public AdminAccess(AdminGuard guard) {
        this.guard = guard;
    }

    /** Null if the request may proceed, else the denial to answer with. */
    public AdminGuard.Result.Denied check(ChannelHandlerContext ctx, HttpRequest req) {
        String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        // The body is streamed or absent: NIP-98's payload tag is optional and not checked here.
        AdminGuard.Result r = guard.check(req.method().name(), absoluteUrl(req), auth, null, clientAddress(ctx, req));
        return r instanceof AdminGuard.Result.Denied d ? d : null;
    }

    /** The URL the client asked for, as a NIP-98 event's u tag names it. */
    static String absoluteUrl(HttpRequest req) {
        String proto = req.headers().get("X-Forwarded-Proto");
        String scheme = proto == null || proto.isBlank() ? "http" : proto.split(",")[0].trim();
        String host = req.headers().get(HttpHeaderNames.HOST, "localhost");
        return scheme + "://" + host + req.uri();
    }

    static InetAddress clientAddress(ChannelHandlerContext ctx, HttpRequest req) {
        InetAddress peer = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        String forwarded = req.headers().get("X-Forwarded-For");
        if (!peer.isLoopbackAddress() || forwarded == null || forwarded.isBlank()) return peer;
        String last = forwarded.substring(forwarded.lastIndexOf(',') + 1).trim();
        // Only literal addresses: getByName does no DNS lookup for those.
        if (last.isEmpty() || !last.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
            return unknownClient();
        }
        try {
            return InetAddress.getByName(last);
        } catch (UnknownHostException e) {
            return unknownClient();
        }
    }

    /** A non-loopback placeholder for a garbled header: such a request is not trusted as local. */
    private static InetAddress unknownClient() {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1}); // TEST-NET-1, never local
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
