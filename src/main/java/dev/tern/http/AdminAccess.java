package dev.tern.http;

import dev.tern.acl.AdminGuard;
import dev.tern.acl.Cidr;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Who the client of an admin request is, decided once for every admin endpoint (import, export, blobs,
 * NIP-86): the URL it asked for and its address, also behind a reverse proxy, judged by the ACL's
 * {@link AdminGuard} (NIP-98 when owners or admins are configured, loopback clients otherwise). Behind a
 * proxy on the same machine every peer is loopback, so the client is then the last X-Forwarded-For entry
 * (the one the proxy added); only a loopback peer's header is believed.
 */
public final class AdminAccess {
    private final AdminGuard guard;

    public AdminAccess(AdminGuard guard) {
        this.guard = guard;
    }

    /**
     * The guard's answer for {@code req}; {@code bodySha256} is the SHA-256 of its body for NIP-98's payload
     * tag, or null when the body is streamed or absent (the tag is then optional and not checked).
     */
    public AdminGuard.Result admit(ChannelHandlerContext ctx, HttpRequest req, byte[] bodySha256) {
        return guard.check(req.method().name(), absoluteUrl(req), req.headers().get(HttpHeaderNames.AUTHORIZATION), bodySha256,
                clientAddress(ctx, req));
    }

    /** The client of {@code req} (see {@link #clientAddress(InetAddress, String)}). */
    static InetAddress clientAddress(ChannelHandlerContext ctx, HttpRequest req) {
        return clientAddress(((InetSocketAddress) ctx.channel().remoteAddress()).getAddress(), req.headers().get("X-Forwarded-For"));
    }

    /** Null if the request (its body not hashed) may proceed, else the denial to answer with. */
    public AdminGuard.Result.Denied check(ChannelHandlerContext ctx, HttpRequest req) {
        return admit(ctx, req, null) instanceof AdminGuard.Result.Denied d ? d : null;
    }

    /** The URL the client asked for, as a NIP-98 event's u tag names it (the scheme a TLS proxy reports). */
    static String absoluteUrl(HttpRequest req) {
        String proto = req.headers().get("X-Forwarded-Proto");
        String scheme = proto == null || proto.isBlank() ? "http" : proto.split(",")[0].trim();
        return scheme + "://" + req.headers().get(HttpHeaderNames.HOST, "localhost") + req.uri();
    }

    /**
     * The {@code peer}, or behind a reverse proxy on this machine the last entry of its X-Forwarded-For
     * header {@code forwarded} (null if none), so a remote client is never taken for a loopback one. Only
     * literal addresses: no DNS lookup.
     */
    static InetAddress clientAddress(InetAddress peer, String forwarded) {
        if (!peer.isLoopbackAddress() || forwarded == null || forwarded.isBlank()) return peer;
        byte[] last = Cidr.parseAddress(forwarded.substring(forwarded.lastIndexOf(',') + 1).trim());
        try {
            // a garbled header stands for TEST-NET-1, never local, so such a request is not trusted as local
            return InetAddress.getByAddress(last != null ? last : new byte[] {(byte) 192, 0, 2, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 4 or 16 bytes always form an address
        }
    }
}
