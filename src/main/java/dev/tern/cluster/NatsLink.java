package dev.tern.cluster;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's connection to the NATS cluster. It connects in the background and reconnects for ever, so a
 * node starts and serves reads while NATS is away; nothing is buffered while disconnected (a write is
 * refused at once instead of acknowledged later or lost).
 */
final class NatsLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NatsLink.class);
    /** JetStream drops a re-sent entry with the same message id within this window. */
    static final Duration DUPLICATE_WINDOW = Duration.ofMinutes(2);

    private final ClusterSettings settings;
    private final Object lock = new Object();
    private volatile Connection connection;
    private volatile boolean connected;
    /** Counts connections made (reconnections included): a reader of the log starts again after each. */
    private volatile long epoch;
    private boolean closed;

    NatsLink(ClusterSettings settings) {
        this.settings = settings;
    }

    void start() throws InterruptedException {
        ConnectionListener listener = (conn, type) -> {
            switch (type) {
                case CONNECTED, RECONNECTED, RESUBSCRIBED -> {
                    synchronized (lock) {
                        if (closed) { // closed while the first connection was being made
                            Thread.ofVirtual().start(() -> closeQuietly(conn));
                            return;
                        }
                        connection = conn;
                        connected = true;
                        if (type != ConnectionListener.Events.RESUBSCRIBED) epoch++;
                        lock.notifyAll();
                    }
                    if (type != ConnectionListener.Events.RESUBSCRIBED) log.info("cluster: connected to NATS at {}", conn.getConnectedUrl());
                }
                case DISCONNECTED, CLOSED -> {
                    if (connected) log.warn("cluster: lost NATS ({}); writes are refused until it is back", type);
                    connected = false;
                }
                default -> { }
            }
        };
        Options options = new Options.Builder()
                .servers(settings.urls().toArray(String[]::new))
                .connectionName("tern-" + settings.node())
                .maxReconnects(-1)
                .reconnectWait(Duration.ofSeconds(1))
                .connectionTimeout(Duration.ofSeconds(2))
                .pingInterval(Duration.ofSeconds(5))
                .reconnectBufferSize(0) // a write while disconnected fails at once, so its client hears of it
                .connectionListener(listener)
                .errorListener(new io.nats.client.ErrorListener() {})
                .build();
        Nats.connectAsynchronously(options, true);
    }

    long epoch() {
        return epoch;
    }

    boolean isConnected() {
        Connection c = connection;
        return connected && c != null && c.getStatus() == Connection.Status.CONNECTED;
    }

    /** The connection while connected, else null. */
    Connection connection() {
        return isConnected() ? connection : null;
    }

    JetStream jetStream() throws IOException {
        Connection c = connection();
        if (c == null) throw new IOException("not connected to NATS");
        return c.jetStream();
    }

    /** Waits up to {@code millis} for a connection; null if none (or closed) by then. */
    Connection awaitConnection(long millis) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (lock) {
            while (!closed && !isConnected()) {
                long left = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime());
                if (left <= 0) return null;
                lock.wait(Math.min(left, 200)); // the status can change without a listener event
            }
            return closed ? null : connection;
        }
    }

    /**
     * Creates the stream, or checks the one there: the same subject, file storage, the replicas asked for. One
     * subject, so one order for every entry; old entries go by age (a lagging node then needs a snapshot).
     */
    StreamInfo ensureStream(Connection c) throws IOException, JetStreamApiException {
        StreamConfiguration config = StreamConfiguration.builder()
                .name(settings.stream())
                .subjects(settings.subject())
                .storageType(StorageType.File)
                .replicas(settings.replicas())
                .duplicateWindow(DUPLICATE_WINDOW)
                .maxAge(settings.maxAge())
                .discardPolicy(DiscardPolicy.Old)
                .build();
        try {
            return c.jetStreamManagement().addStream(config);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != 10058) throw e; // 10058: the name is in use with another configuration
            StreamInfo info = c.jetStreamManagement().getStreamInfo(settings.stream());
            if (!info.getConfiguration().getSubjects().contains(settings.subject())) {
                throw new IOException("stream " + settings.stream() + " exists without subject " + settings.subject()
                        + "; name another stream with --cluster-stream");
            }
            if (info.getConfiguration().getReplicas() != settings.replicas()) {
                log.warn("cluster: stream {} keeps {} replicas, not the {} asked for; left as it is", settings.stream(),
                        info.getConfiguration().getReplicas(), settings.replicas());
            }
            return info;
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        Connection c;
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
            c = connection;
        }
        if (c != null) c.close();
    }
}
