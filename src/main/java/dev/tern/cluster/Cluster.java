package dev.tern.cluster;

import dev.tern.acl.Nip86Calls;
import dev.tern.ingest.ImportPolicy;
import dev.tern.json.Json;
import dev.tern.metrics.Metrics;
import dev.tern.store.EventStore;
import dev.tern.store.EventWrites;
import dev.tern.store.StoreWriter;

/**
 * Cluster mode ({@code --nats}): several full tern nodes sharing one ordered log on NATS JetStream. Each node
 * sends its verified writes to the log ({@link LogWriter}) and applies the whole log in order through its own
 * store writer ({@link LogApplier}); see docs/CLUSTER.md for what scales and how each failure is met.
 */
public final class Cluster implements AutoCloseable {
    private final ClusterSettings settings;
    private final NatsLink link;
    private final LogApplier applier;
    private final LogWriter writes;
    private final Waiters waiters = new Waiters();

    /** {@code policy}: what the applier refuses, from the NIP-86 state the log has built (bans). */
    public Cluster(ClusterSettings settings, EventStore store, StoreWriter writer, ImportPolicy policy) {
        this.settings = settings;
        this.link = new NatsLink(settings);
        this.applier = new LogApplier(settings, link, store, writer, waiters, policy);
        this.writes = new LogWriter(settings, link, store, waiters, applier::applied);
    }

    /** The effect of a NIP-86 call entry; null (the default) when this node does not serve NIP-86. Before {@link #start}. */
    public void applyNip86With(Nip86Calls.Effect effect) {
        applier.applyNip86With(effect);
    }

    /** True if {@code store} has applied a cluster's log: writing it directly (`tern import`) would set it apart. */
    public static boolean isNodeStore(EventStore store) {
        return store.meta(LogApplier.APPLIED_KEY).isPresent();
    }

    /** Connects in the background and starts applying the log; reads are served meanwhile. */
    public void start() throws InterruptedException {
        link.start();
        applier.start();
    }

    /** Where this node's clients' events go. */
    public EventWrites writes() { return writes; }

    /** Where this node's NIP-86 calls go. */
    public Nip86Calls nip86Calls() { return writes; }

    public ClusterSettings settings() { return settings; }

    /** Why this node no longer follows the log (its reads fall behind for good), or null: /healthz answers 503. */
    public String problem() {
        return switch (applier.state()) {
            case BEHIND -> "cluster: the log no longer holds what this node needs; start it from a snapshot";
            case FAILED -> "cluster: applying the log failed";
            default -> null;
        };
    }

    /** What this node, still serving reads, cannot do now, or null: /healthz says it with 200. */
    public String degraded() {
        return link.isConnected() ? null : "cluster: NATS unreachable, writes refused";
    }

    public String statsJson() {
        return Json.string(g -> {
            long applied = applier.applied();
            long last = applier.last();
            g.writeStartObject();
            g.writeStringField("node", settings.node());
            g.writeStringField("stream", settings.stream());
            g.writeBooleanField("connected", link.isConnected());
            g.writeStringField("state", applier.state().name().toLowerCase(java.util.Locale.ROOT));
            g.writeNumberField("applied", applied);
            g.writeNumberField("last", last);
            g.writeNumberField("lag", last - applied);
            g.writeNumberField("waiting", waiters.size());
            g.writeEndObject();
        });
    }

    public void registerMetrics(Metrics m) {
        m.gauge("tern_cluster_connected", "1 while this node is connected to NATS", () -> link.isConnected() ? 1 : 0);
        m.gauge("tern_cluster_applied_sequence", "The log's sequence this node's store reflects", () -> applier.applied());
        m.gauge("tern_cluster_lag", "Log entries this node has seen and not yet applied", () -> applier.last() - applier.applied());
    }

    /** Stops applying (what was taken is committed by the writer, which the caller closes after) and disconnects. */
    @Override
    public void close() throws InterruptedException {
        applier.close();
        link.close();
    }
}
