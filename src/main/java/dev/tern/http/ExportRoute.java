package dev.tern.http;

import dev.tern.acl.AdminGuard;
import dev.tern.ingest.ExportRequest;
import dev.tern.acl.DmPrivacy;
import dev.tern.store.EventStore;
import dev.tern.store.Visibility;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/export?since=&until=&filter=}: the stored events as chunked JSONL, gzip-compressed
 * when the client accepts it. A worker thread reads the store cursor and blocks on
 * {@link ChunkedBodyStream} while the client is slower than the disk; at most {@link #MAX_EXPORTS}
 * run at once, each holding a few chunks.
 */
final class ExportRoute implements HttpRoute, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ExportRoute.class);
    static final int MAX_EXPORTS = 2;

    private final EventStore store;
    private final AdminAccess admin;
    private final DmPrivacy privacy;
    private final ExecutorService workers = new ThreadPoolExecutor(0, MAX_EXPORTS, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "http-export");
                t.setDaemon(true);
                return t;
            });

    ExportRoute(EventStore store, AdminAccess admin, DmPrivacy privacy) {
        this.store = store;
        this.admin = admin;
        this.privacy = privacy;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest req) {
        Visibility visibility;
        switch (admin.admit(ctx, req, null)) {
            case AdminGuard.Result.Denied denied -> {
                HttpResponses.error(ctx, req, HttpResponseStatus.valueOf(denied.status()), denied.reason());
                return;
            }
            // NIP-17/59/04: private messages leave through the network only to their parties, here the NIP-98 signer
            case AdminGuard.Result.Allowed allowed -> visibility = privacy.visibility(
                    allowed.pubkey() == null ? Set.of() : Set.of(allowed.pubkey()));
        }
        ExportRequest export;
        try {
            export = requestOf(new QueryStringDecoder(req.uri()).parameters(), acceptsGzip(req.headers().get(HttpHeaderNames.ACCEPT_ENCODING)));
        } catch (IllegalArgumentException e) {
            HttpResponses.error(ctx, req, HttpResponseStatus.BAD_REQUEST, e.getMessage());
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        var res = new DefaultHttpResponse(req.protocolVersion(), HttpResponseStatus.OK);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/x-ndjson")
                .set(HttpHeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"tern-export.jsonl\"")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        if (export.gzip()) res.headers().set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
        HttpUtil.setTransferEncodingChunked(res, true);
        HttpUtil.setKeepAlive(res, keepAlive);
        Channel ch = ctx.channel();
        if (req.method().equals(HttpMethod.HEAD)) {
            ch.write(res);
            ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            return;
        }
        try {
            workers.execute(() -> export(ch, export, visibility, keepAlive));
        } catch (RejectedExecutionException e) {
            HttpResponses.error(ctx, req, HttpResponseStatus.SERVICE_UNAVAILABLE,
                    MAX_EXPORTS + " exports are already running; try again when one has finished");
            return;
        }
        ch.writeAndFlush(res);
    }

    private void export(Channel ch, ExportRequest export, Visibility visibility, boolean keepAlive) {
        long t0 = System.nanoTime();
        ChunkedBodyStream body = new ChunkedBodyStream(ch);
        OutputStream out = body;
        try {
            out = export.encode(body);
            long n = export.write(store, visibility, out);
            out.close(); // sends the last chunk
            log.info("export to {}: {} events in {} ms", ch.remoteAddress(), n, (System.nanoTime() - t0) / 1_000_000);
            // Writes are ordered: this closes the connection after the last chunk has gone out.
            if (!keepAlive) ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } catch (IOException | RuntimeException e) {
            body.abort();
            try {
                out.close(); // frees the deflater; the aborted body sends nothing
            } catch (IOException ignored) {
                // the export has already failed
            }
            log.info("export to {} stopped: {}", ch.remoteAddress(), e.toString());
            // The status line has gone out: closing without the last chunk tells the client it is incomplete.
            ch.close();
        }
    }

    /** The export the query asks for: the {@code filter} JSON, narrowed by {@code since} and {@code until}. */
    private static ExportRequest requestOf(Map<String, List<String>> params, boolean gzip) {
        return ExportRequest.of(first(params, "filter"), number(params, "since"), number(params, "until"), gzip);
    }

    private static Long number(Map<String, List<String>> params, String name) {
        String v = first(params, name);
        if (v == null || v.isBlank()) return null;
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a unix time in seconds, got '" + v + "'");
        }
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) return false;
        for (String part : acceptEncoding.split(",")) {
            String[] p = part.trim().split(";");
            if (p[0].trim().equalsIgnoreCase("gzip")) {
                return !(p.length > 1 && p[1].trim().replace(" ", "").matches("q=0(\\.0*)?"));
            }
        }
        return false;
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
