package dev.tern.metrics;

import dev.tern.event.RejectReason;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * The process's Prometheus metrics: a thin registry that relay, ingest and http code call with one
 * line each. It lives in its own leaf package so that any layer may record into it without
 * depending on the HTTP layer that serves it. The process has one instance ({@link #get()}), as
 * Prometheus metrics are per process; tests read deltas, never absolute values.
 */
public final class Metrics {
    /**
     * NIP-01 machine-readable prefixes and the store's refusals; anything else is counted as "other"
     * to bound the labels.
     */
    private static final Set<String> REASONS = Set.of("invalid", "duplicate", "blocked", "rate-limited", "pow",
            "restricted", "error", "auth-required", "mute", "superseded", "deleted", "expired");

    private static final double[] LATENCY_BOUNDS =
            {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

    // Declared after the constants its constructor reads.
    private static final Metrics PROCESS = new Metrics();

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Map<String, DoubleSupplier> gaugeSources = new ConcurrentHashMap<>();
    private final Map<String, Supplier<Map<String, Double>>> labeledSources = new ConcurrentHashMap<>();

    private final Counter eventsStored = Counter.builder().name("tern_events_stored_total")
            .help("Events committed to the store (WebSocket and imports)").register(registry);
    /** Not "rejected": a duplicate or a superseded version is answered OK true, yet not stored again. */
    private final Counter eventsRejected = Counter.builder().name("tern_events_not_stored_total")
            .help("Events received or imported but not stored, by reason: a WebSocket refusal's NIP-01 prefix (invalid, "
                    + "blocked, rate-limited, auth-required, restricted, pow, error), an import line's rejection "
                    + "(bad_signature, malformed_json, ...), or the store's outcome for an event it did not add "
                    + "(duplicate, superseded, deleted, expired)").labelNames("reason").register(registry);
    private final Counter eventsReceived = Counter.builder().name("tern_events_received_total")
            .help("EVENT messages received from WebSocket clients").register(registry);
    private final Counter eventsImported = Counter.builder().name("tern_events_imported_total")
            .help("Events read by imports and syncs and handed to the store writer (stored or not)").register(registry);
    private final Counter eventsSent = Counter.builder().name("tern_events_sent_total")
            .help("Events sent to WebSocket subscribers (stored answers and live fan-out)").register(registry);
    private final Gauge connections = Gauge.builder().name("tern_connections")
            .help("Open WebSocket connections").register(registry);
    private final Gauge subscriptions = Gauge.builder().name("tern_subscriptions")
            .help("Open REQ subscriptions").register(registry);
    private final Histogram fanoutLatency = Histogram.builder().name("tern_fanout_latency_seconds")
            .help("From commit of a new event to its delivery to the last matching subscriber")
            .classicOnly().classicUpperBounds(LATENCY_BOUNDS).register(registry);
    private final Histogram reqLatency = Histogram.builder().name("tern_req_latency_seconds")
            .help("From a REQ's arrival to its EOSE").classicOnly().classicUpperBounds(LATENCY_BOUNDS).register(registry);

    public Metrics() {
        JvmMetrics.builder().register(registry);
    }

    /** The process-wide instance. */
    public static Metrics get() {
        return PROCESS;
    }

    public void eventsStored(long n) {
        eventsStored.inc(n);
    }

    /** Counts one rejection under the prefix of its NIP-01 message ("invalid: bad signature" -> invalid). */
    public void eventRejected(String message) {
        eventsRejected.labelValues(reasonOf(message)).inc();
    }

    /** Counts one rejected import line under its reason ("bad_signature", "malformed_json", ...). */
    public void eventRejected(RejectReason reason) {
        eventsRejected.labelValues(reason.name().toLowerCase(Locale.ROOT)).inc();
    }

    public void eventsReceived(long n) {
        eventsReceived.inc(n);
    }

    public void eventsImported(long n) {
        eventsImported.inc(n);
    }

    public void eventsSent(long n) {
        eventsSent.inc(n);
    }

    public void connectionOpened() {
        connections.inc();
    }

    public void connectionClosed() {
        connections.dec();
    }

    public void subscriptionOpened() {
        subscriptions.inc();
    }

    public void subscriptionsClosed(int n) {
        subscriptions.dec(n);
    }

    public void observeFanoutNanos(long nanos) {
        fanoutLatency.observe(nanos / 1e9);
    }

    public void observeReqNanos(long nanos) {
        reqLatency.observe(nanos / 1e9);
    }

    /**
     * A gauge read at scrape time (store and RocksDB figures, import progress). Registering the
     * same name again replaces its source, so a restarted server in the same JVM rebinds cleanly.
     */
    public void gauge(String name, String help, DoubleSupplier source) {
        if (gaugeSources.put(name, source) != null) return;
        GaugeWithCallback.builder().name(name).help(help)
                .callback(cb -> cb.call(gaugeSources.get(name).getAsDouble()))
                .register(registry);
    }

    /**
     * Figures with one label read at scrape time ({@code values}: label value -> figure), e.g. one per mirrored
     * peer; a counter when {@code counter} (its name ends in _total in the exposition). Registering the same name
     * again replaces its source, as for {@link #gauge}.
     */
    public void labeled(String name, String help, String label, boolean counter, Supplier<Map<String, Double>> values) {
        if (labeledSources.put(name, values) != null) return;
        if (counter) {
            CounterWithCallback.builder().name(name).help(help).labelNames(label)
                    .callback(cb -> labeledSources.get(name).get().forEach((k, v) -> cb.call(v, k))).register(registry);
        } else {
            GaugeWithCallback.builder().name(name).help(help).labelNames(label)
                    .callback(cb -> labeledSources.get(name).get().forEach((k, v) -> cb.call(v, k))).register(registry);
        }
    }

    /** Writes every metric in the Prometheus text format. */
    public void writeText(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }

    public String contentType() {
        return writer.getContentType();
    }

    public long eventsStoredTotal() {
        return (long) eventsStored.get();
    }

    public long eventsReceivedTotal() {
        return (long) eventsReceived.get();
    }

    public long eventsImportedTotal() {
        return (long) eventsImported.get();
    }

    public long eventsSentTotal() {
        return (long) eventsSent.get();
    }

    public long connections() {
        return (long) connections.get();
    }

    public long subscriptions() {
        return (long) subscriptions.get();
    }

    static String reasonOf(String message) {
        if (message == null) return "other";
        int colon = message.indexOf(':');
        String prefix = (colon < 0 ? message : message.substring(0, colon)).trim();
        return REASONS.contains(prefix) ? prefix : "other";
    }
}
