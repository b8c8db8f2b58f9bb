package dev.tern.blob;

import dev.tern.event.Event;
import dev.tern.event.EventParser;
import dev.tern.event.Hex;
import dev.tern.event.ParseResult;
import dev.tern.http.BytePipe;
import dev.tern.http.HttpRouter;
import dev.tern.http.HttpTimeouts;
import dev.tern.http.PipeResume;
import dev.tern.http.StreamingRoute;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The Blossom endpoints on the relay's port: BUD-01 {@code GET/HEAD /<sha256>[.ext]}, BUD-02 {@code PUT /upload},
 * BUD-06 {@code HEAD /upload}, BUD-12 {@code GET /list/<pubkey>} and {@code DELETE /<sha256>}, BUD-04
 * {@code PUT /mirror}, BUD-09 {@code PUT /report}, and BUD-05's {@code /media}, which stores the blob unchanged.
 * Every answer carries CORS headers; every refusal its reason in X-Reason.
 */
public final class BlobRoutes {
    /** Most descriptors one /list page holds. */
    static final int MAX_LIST = 1000;
    private static final int REPORT_KIND = 1984;

    private final BlobService service;
    private final BlobIntake intake;
    private final BlobDownload download;
    private final BlobMirror mirror;
    private final EventParser parser = new EventParser(true);

    /** @param timeouts the relay's HTTP time-outs: a mirror's origin is held to its upload rules */
    public BlobRoutes(BlobService service, HttpTimeouts timeouts) {
        this.service = service;
        this.intake = new BlobIntake(service);
        this.download = new BlobDownload(service);
        this.mirror = new BlobMirror(service, intake, timeouts);
    }

    public void register(HttpRouter router) {
        // "/" below every other route: /<sha256>[.ext] and anything else unknown at the root
        router.addPrefix(HttpMethod.GET, "/", download::handle)
                .addPrefix(HttpMethod.HEAD, "/", download::handle)
                .addPrefix(HttpMethod.DELETE, "/", this::delete)
                .addPrefix(HttpMethod.GET, "/list/", this::list)
                .add(HttpMethod.HEAD, "/upload", (ctx, req) -> check(ctx, req, BlobAuth.Verb.UPLOAD))
                .add(HttpMethod.HEAD, "/media", (ctx, req) -> check(ctx, req, BlobAuth.Verb.MEDIA))
                .addStreaming(HttpMethod.PUT, "/upload", (ctx, req) -> upload(ctx, req, BlobAuth.Verb.UPLOAD))
                .addStreaming(HttpMethod.PUT, "/media", (ctx, req) -> upload(ctx, req, BlobAuth.Verb.MEDIA))
                .add(HttpMethod.PUT, "/mirror", mirror::handle)
                .add(HttpMethod.PUT, "/report", this::report);
    }

    /** The base of descriptor URLs: the configured public URL, else this request's scheme and host. */
    static String baseUrl(BlobService service, BlobResponses.Request req) {
        if (!service.settings.publicUrl().isEmpty()) return service.settings.publicUrl();
        String proto = req.header("X-Forwarded-Proto");
        String scheme = proto == null || proto.isBlank() ? "http" : proto.split(",")[0].trim();
        return scheme + "://" + req.headers().get(HttpHeaderNames.HOST, "localhost");
    }

    /** The hash a path names: {@code /<64 hex>} with an optional extension, or null. */
    static String hashOf(String path) {
        if (path.length() < 65 || path.charAt(0) != '/') return null;
        String sha = path.substring(1, 65);
        if (!Hex.isLowerHex(sha, 64)) return null;
        String rest = path.substring(65);
        return rest.isEmpty() || rest.matches("\\.[A-Za-z0-9]{1,10}") ? sha : null;
    }

    /** An X-SHA-256 header's hash (400 if malformed), or null without one. */
    static String declaredSha(BlobResponses.Request req) {
        String sha = req.header("X-SHA-256");
        if (sha == null) return null;
        if (!Hex.isLowerHex(sha.trim(), 64)) throw new BlobException(400, "X-SHA-256 must be 64 lowercase hex characters");
        return sha.trim();
    }

    private StreamingRoute.BodyReceiver upload(ChannelHandlerContext ctx, HttpRequest head, BlobAuth.Verb verb) {
        BlobResponses.Request req = BlobResponses.Request.of(head);
        try {
            BlobAuth.Token token = service.auth.check(req.header(HttpHeaderNames.AUTHORIZATION), verb, req.header(HttpHeaderNames.HOST));
            String refusal = service.policy.refusal(token.pubkey());
            if (refusal != null) throw new BlobException(403, refusal);
            String sha = declaredSha(req);
            if (sha != null) BlobAuth.requireBlob(token, sha);
            long length = HttpUtil.getContentLength(head, -1L);
            if (length < 0) throw new BlobException(411, "Content-Length is required");
            long max = service.settings.maxBlobBytes();
            if (length > max) throw new BlobException(413, "the blob is " + length + " bytes; the most accepted here is " + max);
            String type = req.header(HttpHeaderNames.CONTENT_TYPE);
            String clean = MediaTypes.clean(type);
            if (clean != null && !clean.equals(MediaTypes.UNKNOWN) && !service.settings.allowsType(clean)) {
                throw BlobIntake.unsupported(clean);
            }
            PipeResume resume = new PipeResume(ctx.channel());
            BytePipe pipe = new BytePipe(BlobUpload.PIPE_BYTES, resume);
            resume.of(pipe);
            BlobUpload upload = new BlobUpload(ctx, req, pipe, intake, token, sha, type, baseUrl(service, req));
            service.startTransfer(upload::run);
            if (HttpUtil.is100ContinueExpected(head)) {
                ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
            }
            return upload;
        } catch (BlobException e) {
            // the body is not read: the connection closes after the answer
            BlobResponses.error(ctx, req, e.status, e.getMessage(), true);
            return null;
        }
    }

    /** BUD-06: would an upload with these X-SHA-256, X-Content-Length and X-Content-Type headers be accepted? */
    private void check(ChannelHandlerContext ctx, FullHttpRequest head, BlobAuth.Verb verb) {
        BlobResponses.Request req = BlobResponses.Request.of(head);
        respond(ctx, req, () -> {
            BlobAuth.Token token = service.auth.check(req.header(HttpHeaderNames.AUTHORIZATION), verb, req.header(HttpHeaderNames.HOST));
            String sha = declaredSha(req);
            if (sha == null) throw new BlobException(400, "X-SHA-256 is required");
            BlobAuth.requireBlob(token, sha);
            String refusal = service.policy.refusal(token.pubkey());
            if (refusal != null) throw new BlobException(403, refusal);
            String lengthHeader = req.header("X-Content-Length");
            if (lengthHeader == null) throw new BlobException(411, "X-Content-Length is required");
            long length;
            try {
                length = Long.parseLong(lengthHeader.trim());
            } catch (NumberFormatException e) {
                throw new BlobException(400, "X-Content-Length must be a number of bytes");
            }
            if (length < 0) throw new BlobException(400, "X-Content-Length must not be negative");
            long max = service.settings.maxBlobBytes();
            if (length > max) throw new BlobException(413, "the blob is " + length + " bytes; the most accepted here is " + max);
            String type = MediaTypes.clean(req.header("X-Content-Type"));
            if (type != null && !type.equals(MediaTypes.UNKNOWN) && !service.settings.allowsType(type)) {
                throw BlobIntake.unsupported(type);
            }
            // on a lookup thread already: the store may be read here
            if (service.index.ownedSince(token.pubkey(), sha) < 0) service.checkQuota(token.pubkey(), length);
            return () -> BlobResponses.empty(ctx, req, HttpResponseStatus.OK);
        });
    }

    /** BUD-12: {@code DELETE /<sha256>} with a delete token naming the blob; the file goes with its last owner. */
    private void delete(ChannelHandlerContext ctx, FullHttpRequest head) {
        BlobResponses.Request req = BlobResponses.Request.of(head);
        String sha = hashOf(new QueryStringDecoder(req.uri()).path());
        respond(ctx, req, () -> {
            if (sha == null) throw new BlobException(404, "not found: " + new QueryStringDecoder(req.uri()).path());
            BlobAuth.Token token = service.auth.check(req.header(HttpHeaderNames.AUTHORIZATION), BlobAuth.Verb.DELETE,
                    req.header(HttpHeaderNames.HOST));
            BlobAuth.requireBlob(token, sha);
            boolean deleted = service.delete(sha, token.pubkey()).join();
            if (!deleted) throw new BlobException(404, "you own no blob " + sha + " here");
            return () -> BlobResponses.empty(ctx, req, HttpResponseStatus.OK);
        });
    }

    /**
     * BUD-12: the blobs a pubkey uploaded, newest first, a page of at most {@code limit} (default and most
     * {@value #MAX_LIST}) after the {@code cursor} blob, filtered by {@code since}/{@code until}. Each page reads
     * the owner's records once but keeps only the page ({@link ListPage}).
     */
    private void list(ChannelHandlerContext ctx, FullHttpRequest head) {
        BlobResponses.Request req = BlobResponses.Request.of(head);
        respond(ctx, req, () -> {
            QueryStringDecoder q = new QueryStringDecoder(req.uri());
            String pubkey = q.path().substring("/list/".length());
            if (!Hex.isLowerHex(pubkey, 64)) throw new BlobException(400, "the pubkey must be 64 lowercase hex characters");
            if (!service.settings.publicReads()) {
                service.auth.check(req.header(HttpHeaderNames.AUTHORIZATION), BlobAuth.Verb.LIST, req.header(HttpHeaderNames.HOST));
            }
            long since = number(q, "since", Long.MIN_VALUE);
            long until = number(q, "until", Long.MAX_VALUE);
            int limit = (int) Math.min(MAX_LIST, Math.max(1, number(q, "limit", MAX_LIST)));
            String cursor = first(q, "cursor");
            String base = baseUrl(service, req);
            BlobIndex.Owned after = null;
            if (cursor != null) {
                long uploaded = Hex.isLowerHex(cursor, 64) ? service.index.ownedSince(pubkey, cursor) : -1;
                if (uploaded < 0) {
                    throw new BlobException(400, "the cursor " + cursor + " is not a blob of this pubkey (deleted since?); list again from the start");
                }
                after = new BlobIndex.Owned(cursor, uploaded);
            }
            ListPage listing = new ListPage(after, since, until, limit);
            service.index.forEachOwned(pubkey, o -> {
                listing.offer(o);
                return true;
            });
            List<Descriptors.Descriptor> page = new ArrayList<>();
            for (BlobIndex.Owned o : listing.entries()) {
                BlobMeta meta = service.index.meta(o.sha256());
                if (meta != null) page.add(new Descriptors.Descriptor(o.sha256(), meta, o.uploaded()));
            }
            byte[] json = Descriptors.list(base, page);
            return () -> BlobResponses.json(ctx, req, HttpResponseStatus.OK, json);
        });
    }

    /** BUD-09: a signed NIP-56 report (kind 1984) with x tags naming blobs, kept for the operator. */
    private void report(ChannelHandlerContext ctx, FullHttpRequest head) {
        BlobResponses.Request req = BlobResponses.Request.of(head);
        byte[] body = ByteBufUtil.getBytes(head.content());
        respond(ctx, req, () -> {
            Event e = switch (parser.parse(body)) {
                case ParseResult.Parsed p -> p.event();
                case ParseResult.Rejected r -> throw new BlobException(400, "the report is not a valid event: " + r.rejection().message());
            };
            if (e.kind() != REPORT_KIND) throw new BlobException(400, "a report is a kind " + REPORT_KIND + " event (NIP-56), not kind " + e.kind());
            boolean names = e.tags().stream().anyMatch(t -> t.size() >= 2 && t.get(0).equals("x") && Hex.isLowerHex(t.get(1), 64));
            if (!names) throw new BlobException(400, "the report names no blob (an x tag with a sha256)");
            service.report(e.idHex(), body).join();
            return () -> BlobResponses.empty(ctx, req, HttpResponseStatus.OK);
        });
    }

    /**
     * Runs {@code work} on a lookup thread (it may read the store or wait for the writer) and sends what it
     * answers, or its refusal.
     */
    private void respond(ChannelHandlerContext ctx, BlobResponses.Request req, Supplier<Runnable> work) {
        service.lookup(work).whenComplete((answer, failure) -> {
            if (failure == null) {
                answer.run();
                return;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof CompletionException && cause.getCause() != null) cause = cause.getCause();
            if (cause instanceof BlobException b) BlobResponses.error(ctx, req, b);
            else BlobResponses.error(ctx, req, 500, "internal error: " + cause, false);
        });
    }

    static long number(QueryStringDecoder q, String name, long otherwise) {
        String v = first(q, name);
        if (v == null) return otherwise;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new BlobException(400, name + " must be a whole number");
        }
    }

    private static String first(QueryStringDecoder q, String name) {
        List<String> v = q.parameters().get(name);
        return v == null || v.isEmpty() || v.get(0).isBlank() ? null : v.get(0);
    }
}
