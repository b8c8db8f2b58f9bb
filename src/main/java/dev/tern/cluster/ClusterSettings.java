package dev.tern.cluster;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Cluster mode: the NATS servers to reach, the JetStream stream all nodes share, and this node's name.
 *
 * @param urls          NATS server URLs (nats://host:port), any of the cluster's
 * @param stream        the stream's name; every node of one cluster names the same
 * @param replicas      copies JetStream keeps of each entry (1 to 5, at most the NATS servers of the cluster)
 * @param node          this node's name, in logs, stats and its NATS connection name
 * @param maxAge        how long the stream keeps entries; zero keeps them all (a node further behind needs a snapshot)
 * @param pendingBytes  bound of the events this node has sent to the log and not yet applied
 * @param applyTimeout  longest a client waits for its event to come back from the log and be applied here
 */
public record ClusterSettings(List<String> urls, String stream, int replicas, String node, Duration maxAge,
                              long pendingBytes, Duration applyTimeout) {
    /** NATS stream names may not hold '.', '*', '>', white space or path separators. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public ClusterSettings {
        urls = List.copyOf(urls);
        if (urls.isEmpty()) throw new IllegalArgumentException("--nats needs at least one nats:// URL");
        for (String u : urls) {
            if (!u.startsWith("nats://") && !u.startsWith("tls://")) {
                throw new IllegalArgumentException("--nats: '" + u + "' is not a nats:// or tls:// URL");
            }
        }
        if (!NAME.matcher(stream).matches()) {
            throw new IllegalArgumentException("--cluster-stream: '" + stream + "' must be 1-64 letters, digits, '-' or '_'");
        }
        if (replicas < 1 || replicas > 5) throw new IllegalArgumentException("--cluster-replicas must be 0 to 5 (JetStream's limit)");
        if (!NAME.matcher(node).matches()) {
            throw new IllegalArgumentException("--cluster-node: '" + node + "' must be 1-64 letters, digits, '-' or '_'");
        }
        if (maxAge.isNegative()) throw new IllegalArgumentException("--cluster-max-age-hours must not be negative");
    }

    /** The one subject the stream holds: every entry, in one order. */
    public String subject() {
        return "tern." + stream + ".log";
    }
}
