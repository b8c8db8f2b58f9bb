package dev.tern.http;

import dev.tern.acl.AdminGuard;
import dev.tern.store.Directories;
import dev.tern.store.EventStore;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/snapshot} (admins): a consistent copy of the store as a tar of its RocksDB files, taken by
 * {@link EventStore#checkpoint} and streamed as it is read, one at a time. A cluster node starts from a peer's
 * (docs/CLUSTER.md); it is a backup of a single relay as well. The search index and Blossom blobs are not in it.
 */
final class SnapshotRoute implements HttpRoute {
    private static final Logger log = LoggerFactory.getLogger(SnapshotRoute.class);

    private final EventStore store;
    private final AdminAccess admin;
    private final AtomicBoolean running = new AtomicBoolean();

    SnapshotRoute(EventStore store, AdminAccess admin) {
        this.store = store;
        this.admin = admin;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (admin.check(ctx, req) instanceof AdminGuard.Result.Denied denied) {
            HttpResponses.error(ctx, req, HttpResponseStatus.valueOf(denied.status()), denied.reason());
            return;
        }
        if (!running.compareAndSet(false, true)) {
            HttpResponses.error(ctx, req, HttpResponseStatus.SERVICE_UNAVAILABLE, "a snapshot is already being sent; try again when it has finished");
            return;
        }
        Path copy;
        try {
            copy = store.checkpoint();
        } catch (RuntimeException e) {
            running.set(false);
            HttpResponses.error(ctx, req, HttpResponseStatus.INTERNAL_SERVER_ERROR, e.getMessage());
            return;
        }
        var res = new DefaultHttpResponse(req.protocolVersion(), HttpResponseStatus.OK);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/x-tar")
                .set(HttpHeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"tern-snapshot.tar\"")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        HttpUtil.setTransferEncodingChunked(res, true);
        HttpUtil.setKeepAlive(res, false);
        Channel ch = ctx.channel();
        ch.writeAndFlush(res);
        Thread.ofPlatform().daemon().name("http-snapshot").start(() -> send(ch, copy));
    }

    private void send(Channel ch, Path copy) {
        long t0 = System.nanoTime();
        ChunkedBodyStream body = new ChunkedBodyStream(ch);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(body)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            long bytes = 0;
            for (Path f : files(copy)) {
                TarArchiveEntry entry = new TarArchiveEntry(f, f.getFileName().toString());
                tar.putArchiveEntry(entry);
                bytes += Files.copy(f, tar);
                tar.closeArchiveEntry();
            }
            tar.finish();
            tar.close(); // sends the last chunk
            log.info("snapshot to {}: {} MB in {} ms", ch.remoteAddress(), bytes >> 20, (System.nanoTime() - t0) / 1_000_000);
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } catch (IOException | RuntimeException e) {
            body.abort();
            log.info("snapshot to {} stopped: {}", ch.remoteAddress(), e.toString());
            ch.close(); // without the last chunk: the client sees it incomplete
        } finally {
            delete(copy);
            running.set(false);
        }
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static void delete(Path dir) {
        try {
            Directories.deleteTree(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("removing the sent snapshot " + dir + " failed", e);
        }
    }
}
