package dev.tern.blob;

import dev.tern.acl.AdminGuard;
import dev.tern.event.Hex;
import dev.tern.http.AdminAccess;
import dev.tern.http.HttpRouter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The operator's blob endpoints, behind the admin guard like import and export:
 * {@code GET /api/blobs/reports} lists the BUD-09 reports kept (newest last, at most {@value #MAX_REPORTS});
 * {@code POST /api/blobs/remove?pubkey=HEX} removes every blob a (banned) pubkey owns.
 */
public final class BlobAdmin {
    static final int MAX_REPORTS = 1000;
    private final BlobService service;
    private final AdminAccess admin;

    public BlobAdmin(BlobService service, AdminGuard guard) {
        this.service = service;
        this.admin = new AdminAccess(guard);
    }

    public void register(HttpRouter router) {
        router.add(HttpMethod.GET, "/api/blobs/reports", this::reports)
                .add(HttpMethod.POST, "/api/blobs/remove", this::remove);
    }

    private boolean denied(ChannelHandlerContext ctx, FullHttpRequest head, BlobResponses.Request req) {
        AdminGuard.Result.Denied d = admin.check(ctx, head);
        if (d == null) return false;
        BlobResponses.error(ctx, req, d.status(), d.reason(), false);
        return true;
    }

    private void reports(ChannelHandlerContext ctx, FullHttpRequest head) {
        BlobResponses.Request req = BlobResponses.Request.of(head);
        if (denied(ctx, head, req)) return;
        service.lookup(() -> service.reports(MAX_REPORTS)).whenComplete((list, failure) -> {
            if (failure != null) {
                BlobResponses.error(ctx, req, 503, "cannot read the reports: " + failure.getMessage(), false);
                return;
            }
            BlobResponses.json(ctx, req, HttpResponseStatus.OK, array(list));
        });
    }

    private void remove(ChannelHandlerContext ctx, FullHttpRequest head) {
        BlobResponses.Request req = BlobResponses.Request.of(head);
        if (denied(ctx, head, req)) return;
        List<String> v = new QueryStringDecoder(req.uri()).parameters().get("pubkey");
        String pubkey = v == null || v.isEmpty() ? "" : v.get(0);
        if (!Hex.isLowerHex(pubkey, 64)) {
            BlobResponses.error(ctx, req, 400, "pubkey must be 64 lowercase hex characters", false);
            return;
        }
        service.removeAllOf(pubkey).whenComplete((n, failure) -> {
            if (failure != null) BlobResponses.error(ctx, req, 503, "cannot remove the blobs: " + failure.getMessage(), false);
            else BlobResponses.json(ctx, req, HttpResponseStatus.OK, ("{\"removed\":" + n + "}").getBytes(StandardCharsets.UTF_8));
        });
    }

    /** The stored report events (JSON objects as received) as one JSON array. */
    private static byte[] array(List<byte[]> events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('[');
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) out.write(',');
            out.writeBytes(events.get(i));
        }
        out.write(']');
        return out.toByteArray();
    }
}
