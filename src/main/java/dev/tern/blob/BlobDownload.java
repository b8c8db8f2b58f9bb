package dev.tern.blob;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;

/**
 * BUD-01 {@code GET} and {@code HEAD /<sha256>[.ext]}: the blob with its stored type whatever the extension,
 * single byte ranges (206, 416), and an ETag that never changes (the hash), so caches may keep it for good.
 * The body goes from the file to the socket by {@link DefaultFileRegion} (sendfile, zero-copy): a blob of any
 * size costs no heap.
 */
final class BlobDownload {
    private final BlobService service;

    BlobDownload(BlobService service) {
        this.service = service;
    }

    void handle(ChannelHandlerContext ctx, FullHttpRequest head) {
        BlobResponses.Request req = BlobResponses.Request.of(head);
        String path = new QueryStringDecoder(req.uri()).path();
        String sha = BlobRoutes.hashOf(path);
        if (sha == null) {
            BlobResponses.error(ctx, req, 404, "not found: " + path, false);
            return;
        }
        service.lookup(() -> open(req, sha)).whenComplete((found, failure) -> {
            Throwable cause = failure != null && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof BlobException b) BlobResponses.error(ctx, req, b);
            else if (cause != null) BlobResponses.error(ctx, req, 500, "cannot read the blob: " + cause, false);
            else ctx.executor().execute(() -> send(ctx, req, sha, found));
        });
    }

    /** The blob's metadata and open file (null for HEAD and 304s), on a lookup thread. */
    private record Found(BlobMeta meta, FileChannel file) {}

    private Found open(BlobResponses.Request req, String sha) {
        if (!service.settings.publicReads()) {
            BlobAuth.Token token = service.auth.check(req.header(HttpHeaderNames.AUTHORIZATION), BlobAuth.Verb.GET,
                    req.header(HttpHeaderNames.HOST));
            // BUD-11: x tags are optional for get, but bind the token when present
            if (!token.blobs().isEmpty()) BlobAuth.requireBlob(token, sha);
        }
        BlobMeta meta = service.index.meta(sha);
        if (meta == null) throw new BlobException(404, "no blob " + sha + " here");
        if (req.head() || etag(sha).equals(req.header(HttpHeaderNames.IF_NONE_MATCH))) return new Found(meta, null);
        try {
            return new Found(meta, FileChannel.open(service.files.path(sha), StandardOpenOption.READ));
        } catch (NoSuchFileException e) {
            throw new BlobException(404, "the file of blob " + sha + " is missing");
        } catch (IOException e) {
            throw new BlobException(500, "cannot open the blob: " + e.getMessage());
        }
    }

    private void send(ChannelHandlerContext ctx, BlobResponses.Request req, String sha, Found found) {
        long size = found.meta().size();
        if (etag(sha).equals(req.header(HttpHeaderNames.IF_NONE_MATCH))) {
            var res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED, Unpooled.EMPTY_BUFFER);
            headers(res.headers(), sha, found.meta().type());
            finish(ctx, req, ctx.writeAndFlush(res));
            return;
        }
        long[] range;
        try {
            range = Ranges.parse(req.header(HttpHeaderNames.RANGE), size);
        } catch (BlobException e) {
            closeQuietly(found.file());
            var res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
                    Unpooled.EMPTY_BUFFER);
            BlobResponses.cors(res.headers());
            res.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + size).set("X-Reason", e.getMessage())
                    .set(HttpHeaderNames.CONTENT_LENGTH, 0);
            finish(ctx, req, ctx.writeAndFlush(res));
            return;
        }
        long start = range == null ? 0 : range[0];
        long length = range == null ? size : range[1] - range[0] + 1;
        HttpResponseStatus status = range == null ? HttpResponseStatus.OK : HttpResponseStatus.PARTIAL_CONTENT;
        HttpResponse res = req.head() ? new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER)
                : new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
        headers(res.headers(), sha, found.meta().type());
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, length);
        if (range != null) res.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes " + range[0] + "-" + range[1] + "/" + size);
        if (!req.keepAlive()) res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (req.head()) {
            finish(ctx, req, ctx.writeAndFlush(res));
            return;
        }
        ctx.write(res);
        // the region closes the file once sent, or when the connection drops first
        if (length > 0) ctx.write(new DefaultFileRegion(found.file(), start, length));
        else closeQuietly(found.file());
        finish(ctx, req, ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
    }

    private static void headers(HttpHeaders h, String sha, String type) {
        BlobResponses.cors(h);
        h.set(HttpHeaderNames.CONTENT_TYPE, type)
                .set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES)
                .set(HttpHeaderNames.ETAG, etag(sha))
                // a hash names these bytes for ever
                .set(HttpHeaderNames.CACHE_CONTROL, "public, max-age=31536000, immutable")
                .set("X-Content-Type-Options", "nosniff");
    }

    private static void finish(ChannelHandlerContext ctx, BlobResponses.Request req, ChannelFuture last) {
        if (!req.keepAlive()) last.addListener(ChannelFutureListener.CLOSE);
    }

    static String etag(String sha) {
        return "\"" + sha + "\"";
    }

    private static void closeQuietly(FileChannel f) {
        if (f == null) return;
        try {
            f.close();
        } catch (IOException e) {
            // nothing was read from it
        }
    }
}
