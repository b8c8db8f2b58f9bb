package dev.tern.cli;

import dev.tern.cluster.ClusterSettings;
import dev.tern.config.MemoryBudget;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/** `tern serve --nats`: cluster mode, several nodes sharing one log on NATS JetStream (docs/CLUSTER.md). */
final class ClusterOptions {
    @Option(names = "--nats", paramLabel = "URLS", defaultValue = "${env:TERN_NATS:-}",
            description = "NATS servers of the cluster's log, separated by ',', e.g. nats://10.0.0.1:4222,nats://10.0.0.2:4222; "
                    + "set, the relay runs as one node of a cluster (env TERN_NATS, default empty: a single node).")
    String nats;

    @Option(names = "--cluster-stream", paramLabel = "NAME", defaultValue = "${env:TERN_CLUSTER_STREAM:-tern}",
            description = "JetStream stream holding the log; every node of one cluster names the same (env TERN_CLUSTER_STREAM, default tern).")
    String stream;

    @Option(names = "--cluster-replicas", paramLabel = "N", defaultValue = "${env:TERN_CLUSTER_REPLICAS:-0}",
            description = "Copies JetStream keeps of the log; 0 = one per URL in --nats (list every server of the NATS cluster), "
                    + "at most 5 (env TERN_CLUSTER_REPLICAS, default 0).")
    int replicas;

    @Option(names = "--cluster-node", paramLabel = "NAME", defaultValue = "${env:TERN_CLUSTER_NODE:-}",
            description = "This node's name in logs, stats and metrics; empty = HOST-PORT (env TERN_CLUSTER_NODE, default empty).")
    String node;

    @Option(names = "--cluster-max-age-hours", paramLabel = "H", defaultValue = "${env:TERN_CLUSTER_MAX_AGE_HOURS:-0}",
            description = "Hours the log keeps an entry; 0 = for ever. A node further behind than this starts from a "
                    + "snapshot (env TERN_CLUSTER_MAX_AGE_HOURS, default 0).")
    long maxAgeHours;

    @Option(names = "--cluster-bootstrap", paramLabel = "URL", defaultValue = "${env:TERN_CLUSTER_BOOTSTRAP:-}",
            description = "A peer node's http:// URL: when the data dir holds no store, the node starts from that peer's "
                    + "snapshot (GET /api/snapshot, NIP-98 signed with TERN_SYNC_AUTH_KEY if set) and then the log "
                    + "(env TERN_CLUSTER_BOOTSTRAP, default empty: start from the log alone).")
    String bootstrap;

    /** The peer to start from, or null. */
    URI bootstrapPeer() {
        if (bootstrap.isBlank()) return null;
        URI u = URI.create(bootstrap.trim());
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
            throw new IllegalArgumentException("--cluster-bootstrap: '" + bootstrap + "' is not an http:// or https:// URL");
        }
        return u;
    }

    boolean enabled() {
        return !nats.isBlank();
    }

    /** The settings, or an IllegalArgumentException naming the option and the mistake in one line. */
    ClusterSettings settings(MemoryBudget budget, String host, int port) {
        List<String> urls = Arrays.stream(nats.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        String name = node.isBlank() ? (host.replaceAll("[^A-Za-z0-9_-]", "_") + "-" + port) : node;
        if (replicas < 0) throw new IllegalArgumentException("--cluster-replicas must be 0 to 5 (JetStream's limit)");
        int copies = replicas > 0 ? replicas : Math.min(5, urls.size());
        // the events this node has sent and not yet applied: half the writer queue's share (the writer holds the rest)
        long pending = budget.writerQueueMb() * 1024L * 1024 / 2;
        return new ClusterSettings(urls, stream, copies, name, Duration.ofHours(maxAgeHours), pending, Duration.ofSeconds(30));
    }
}
