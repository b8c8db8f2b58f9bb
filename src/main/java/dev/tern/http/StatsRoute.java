package dev.tern.http;

import dev.tern.json.Json;
import dev.tern.config.MemoryBudget;
import dev.tern.metrics.ProcessMemory;
import dev.tern.metrics.Metrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;

/**
 * {@code GET /api/stats}: the store's stats JSON under "store", plus the relay's live figures
 * (connections, subscriptions, event counters the page turns into rates) and memory (budget, RSS,
 * heap). Public like NIP-11: the page polls it every few seconds, and a NIP-98 signature per poll
 * would prompt the operator's signer each time.
 */
final class StatsRoute implements HttpRoute {
    private static final long MB = 1024L * 1024;
    private final StoreFigures store;
    private final MemoryBudget budget;
    private final long startedAt = System.nanoTime();
    /** Sections other capabilities add (Blossom's "blobs"): name -> a JSON object. */
    private final Map<String, Supplier<String>> sections = new ConcurrentSkipListMap<>();

    StatsRoute(StoreFigures store, MemoryBudget budget) {
        this.store = store;
        this.budget = budget;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest req) {
        var res = new DefaultFullHttpResponse(req.protocolVersion(), HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(json().getBytes(StandardCharsets.UTF_8)));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        HttpResponses.allowCors(res.headers());
        HttpResponses.send(ctx, req, res);
    }

    void addSection(String name, Supplier<String> json) {
        sections.put(name, json);
    }

    String json() {
        Metrics m = Metrics.get();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return Json.string(g -> {
            g.writeStartObject();
            g.writeFieldName("store");
            g.writeRawValue(store.stats().toJson());
            g.writeObjectFieldStart("relay");
            g.writeNumberField("connections", m.connections());
            g.writeNumberField("subscriptions", m.subscriptions());
            g.writeNumberField("events_in", m.eventsReceivedTotal());
            g.writeNumberField("events_imported", m.eventsImportedTotal());
            g.writeNumberField("events_out", m.eventsSentTotal());
            g.writeNumberField("events_stored", m.eventsStoredTotal());
            g.writeNumberField("uptime_seconds", (System.nanoTime() - startedAt) / 1_000_000_000);
            g.writeEndObject();
            g.writeObjectFieldStart("memory");
            g.writeNumberField("budget_bytes", budget.totalMb() * MB);
            g.writeNumberField("rss_bytes", ProcessMemory.rssBytes());
            g.writeNumberField("peak_rss_bytes", ProcessMemory.peakRssBytes());
            g.writeNumberField("heap_used_bytes", heap.getUsed());
            g.writeNumberField("heap_max_bytes", heap.getMax());
            g.writeEndObject();
            for (Map.Entry<String, Supplier<String>> s : sections.entrySet()) {
                g.writeFieldName(s.getKey());
                g.writeRawValue(s.getValue().get());
            }
            g.writeEndObject();
        });
    }
}
