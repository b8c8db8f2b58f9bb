package dev.tern.http;

import dev.tern.acl.AdminGuard;
import dev.tern.event.EventJson;
import dev.tern.event.JsonBytes;
import dev.tern.filter.Filter;
import dev.tern.filter.FilterLimits;
import dev.tern.filter.FilterParser;
import dev.tern.filter.FilterResult;
import dev.tern.ingest.ImportSettings;
import dev.tern.store.EventStore;
import dev.tern.store.EventWrites;
import dev.tern.sync.Direction;
import dev.tern.sync.SyncJob;
import dev.tern.sync.SyncReport;
import dev.tern.sync.SyncSettings;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /api/sync?url=WS_URL[&direction=down|up|both][&dry_run=true]}, a NIP-01 filter as the body (empty:
 * every event): a NIP-77 sync of the running relay's store with another relay, fetched events committed through
 * the relay's own writer, started at once (202); {@code GET /api/sync}: its progress, or the last sync's report.
 * One sync at a time (409 while one runs). Both are admin endpoints.
 */
final class SyncRoutes {
    private static final FilterParser FILTERS = new FilterParser(FilterLimits.EXPORT);
    private final EventStore store;
    private final EventWrites writer;
    private final ImportSettings settings;
    private final AdminAccess admin;
    private SyncJob running;
    private SyncReport last;

    SyncRoutes(EventStore store, EventWrites writer, ImportSettings settings, AdminAccess admin) {
        this.store = store;
        this.writer = writer;
        this.settings = settings;
        this.admin = admin;
    }

    void register(HttpRouter router) {
        router.add(HttpMethod.POST, "/api/sync", this::start).add(HttpMethod.GET, "/api/sync", this::status);
    }

    private void start(ChannelHandlerContext ctx, FullHttpRequest req) {
        byte[] body = ByteBufUtil.getBytes(req.content());
        if (admin.admit(ctx, req, body.length == 0 ? null : EventJson.sha256(body)) instanceof AdminGuard.Result.Denied d) {
            HttpResponses.error(ctx, req, HttpResponseStatus.valueOf(d.status()), d.reason());
            return;
        }
        SyncJob.Options options;
        try {
            options = options(new QueryStringDecoder(req.uri()).parameters(), body.length == 0 ? "{}" : new String(body, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            HttpResponses.error(ctx, req, HttpResponseStatus.BAD_REQUEST, e.getMessage());
            return;
        }
        SyncJob job = new SyncJob(options, store, writer, settings);
        synchronized (this) {
            if (running != null) {
                HttpResponses.error(ctx, req, HttpResponseStatus.CONFLICT, "a sync is running; see GET /api/sync");
                return;
            }
            running = job;
        }
        Thread.ofPlatform().name("api-sync").daemon().start(() -> {
            SyncReport report = job.run();
            synchronized (this) {
                last = report;
                running = null;
            }
        });
        json(ctx, req, HttpResponseStatus.ACCEPTED, "running", job.progress(), null);
    }

    private static SyncJob.Options options(Map<String, List<String>> q, String filterJson) {
        String url = first(q, "url", null);
        if (url == null) throw new IllegalArgumentException("url= is required (the ws:// or wss:// URL of the other relay)");
        URI uri = URI.create(url);
        if (uri.getHost() == null || !("ws".equals(uri.getScheme()) || "wss".equals(uri.getScheme()))) {
            throw new IllegalArgumentException("url must be ws:// or wss:// with a host, got " + url);
        }
        Direction direction = Direction.valueOf(first(q, "direction", "both").toUpperCase(Locale.ROOT));
        Filter filter = switch (FILTERS.parse(filterJson)) {
            case FilterResult.Ok<Filter> ok -> ok.value();
            case FilterResult.Error<Filter> err -> throw new IllegalArgumentException("filter: " + err.message());
        };
        return new SyncJob.Options(uri, filter, filterJson, direction, Boolean.parseBoolean(first(q, "dry_run", "false")), null,
                Duration.ofSeconds(30), SyncSettings.DEFAULTS.maxPerSecond());
    }

    private void status(ChannelHandlerContext ctx, FullHttpRequest req) {
        AdminGuard.Result.Denied denied = admin.check(ctx, req);
        if (denied != null) {
            HttpResponses.error(ctx, req, HttpResponseStatus.valueOf(denied.status()), denied.reason());
            return;
        }
        SyncJob job;
        SyncReport report;
        synchronized (this) {
            job = running;
            report = last;
        }
        if (job != null) json(ctx, req, HttpResponseStatus.OK, "running", job.progress(), null);
        else if (report != null) json(ctx, req, HttpResponseStatus.OK, report.failed() ? "failed" : "complete", null, report.toText());
        else json(ctx, req, HttpResponseStatus.OK, "none", null, null);
    }

    private static void json(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String state, String progress,
                             String report) {
        JsonBytes b = new JsonBytes(256).ascii("{\"state\":").string(state);
        if (progress != null) b.ascii(",\"progress\":").string(progress);
        if (report != null) b.ascii(",\"report\":").string(report);
        HttpResponses.send(ctx, req, status, "application/json", b.raw((byte) '}').toByteArray());
    }

    private static String first(Map<String, List<String>> q, String name, String otherwise) {
        List<String> v = q.get(name);
        return v == null || v.isEmpty() ? otherwise : v.get(0);
    }
}
