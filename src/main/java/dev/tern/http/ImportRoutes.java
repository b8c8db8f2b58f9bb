package dev.tern.http;

import dev.tern.acl.AdminGuard;
import dev.tern.json.Json;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code POST /api/import}: streams a JSONL upload (multipart {@code file} field or a raw body, plain,
 * gzip or zstd) into an import and answers 202 with its id at once, before the body has been read;
 * {@code GET /api/import/ID}: that import's progress and, when it has ended, its report; {@code GET /api/import}:
 * the same for each import remembered. Errors are JSON ({@code {"error": why}}) like the rest of the admin API.
 *
 * <p>A client may name the import itself ({@code ?id=}, 16-64 letters, digits, '-' or '_'), so it
 * can follow progress while its upload is still running; otherwise the relay draws a random id.
 * Statuses are public like {@code /api/stats} (file names and counts, never events), so the page can show an
 * import started elsewhere without signing every poll.
 */
final class ImportRoutes {
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9_-]{16,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Imports imports;
    private final AdminAccess admin;

    ImportRoutes(Imports imports, AdminAccess admin) {
        this.imports = imports;
        this.admin = admin;
    }

    void register(HttpRouter router) {
        router.addStreaming(HttpMethod.POST, "/api/import", this::upload);
        router.add(HttpMethod.GET, "/api/import", this::list);
        router.addPrefix(HttpMethod.GET, "/api/import/", this::status);
    }

    private StreamingRoute.BodyReceiver upload(ChannelHandlerContext ctx, HttpRequest req) {
        AdminGuard.Result.Denied denied = admin.check(ctx, req);
        if (denied != null) return refuse(ctx, HttpResponseStatus.valueOf(denied.status()), denied.reason());
        String contentType = req.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
        String boundary = null;
        if (contentType.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            boundary = MultipartParser.boundaryOf(contentType);
            if (boundary == null || boundary.length() > 70) {
                return refuse(ctx, HttpResponseStatus.BAD_REQUEST, "multipart upload without a valid boundary");
            }
        }
        String encoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING, "identity").trim().toLowerCase(Locale.ROOT);
        if (!List.of("identity", "gzip", "x-gzip", "zstd").contains(encoding)) {
            // gzip and zstd are recognised by their magic bytes, whatever the header says
            return refuse(ctx, HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Encoding " + encoding
                    + " is not supported; send plain, gzip or zstd JSONL");
        }
        QueryStringDecoder query = new QueryStringDecoder(req.uri());
        String id = first(query, "id");
        if (id == null) {
            id = HexFormat.of().formatHex(randomBytes());
        } else if (!CLIENT_ID.matcher(id).matches()) {
            return refuse(ctx, HttpResponseStatus.BAD_REQUEST, "id must be 16 to 64 letters, digits, '-' or '_'");
        } else if (imports.contains(id)) {
            return refuse(ctx, HttpResponseStatus.CONFLICT, "an import with id " + id + " exists");
        }
        String name = first(query, "name");
        long total = boundary == null ? HttpUtil.getContentLength(req, -1L) : -1;
        PipeResume resume = new PipeResume(ctx.channel());
        HttpImport imp = imports.start(id, name != null ? name : "upload", total,
                String.valueOf(AdminAccess.clientAddress(ctx, req)), resume);
        if (imp == null) return refuse(ctx, HttpResponseStatus.CONFLICT, "an import is already running; one runs at a time");
        resume.of(imp.pipe);
        accepted(ctx, req, id);
        return new ImportUpload(ctx.channel(), imp, boundary);
    }

    /** 202 with the id, before the body: the client can poll while it uploads. */
    private static void accepted(ChannelHandlerContext ctx, HttpRequest req, String id) {
        if (HttpUtil.is100ContinueExpected(req)) {
            ctx.write(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
        }
        byte[] body = ("{\"id\":\"" + id + "\",\"status\":\"/api/import/" + id + "\"}\n").getBytes(StandardCharsets.UTF_8);
        var res = new DefaultFullHttpResponse(req.protocolVersion(), HttpResponseStatus.ACCEPTED, Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .set(HttpHeaderNames.LOCATION, "/api/import/" + id);
        HttpUtil.setContentLength(res, body.length);
        // The connection stays open whatever the client asked: it is still sending the body.
        ctx.writeAndFlush(res);
    }

    /** Answers an upload that will not be read, then closes: the unread body must not be parsed as a request. */
    private static StreamingRoute.BodyReceiver refuse(ChannelHandlerContext ctx, HttpResponseStatus status, String reason) {
        byte[] body = HttpResponses.errorJson(reason);
        var res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        HttpUtil.setContentLength(res, body.length);
        ctx.writeAndFlush(res).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
        return null;
    }

    private void status(ChannelHandlerContext ctx, FullHttpRequest req) {
        String path = new QueryStringDecoder(req.uri()).path();
        HttpImport imp = imports.get(path.substring(path.lastIndexOf('/') + 1));
        if (imp == null) {
            HttpResponses.error(ctx, req, HttpResponseStatus.NOT_FOUND, "no such import (the last " + Imports.KEEP + " are kept)");
            return;
        }
        json(ctx, req, imp.toJson().getBytes(StandardCharsets.UTF_8));
    }

    /** {@code GET /api/import}: the status of each import remembered, newest first (a running one is the first). */
    private void list(ChannelHandlerContext ctx, FullHttpRequest req) {
        json(ctx, req, Json.bytes(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("imports");
            for (HttpImport imp : imports.newestFirst()) imp.writeJson(g);
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    private static void json(ChannelHandlerContext ctx, FullHttpRequest req, byte[] body) {
        var res = new DefaultFullHttpResponse(req.protocolVersion(), HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        HttpResponses.send(ctx, req, res);
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return b;
    }

    private static String first(QueryStringDecoder q, String name) {
        List<String> v = q.parameters().get(name);
        return v == null || v.isEmpty() || v.get(0).isBlank() ? null : v.get(0);
    }
}
