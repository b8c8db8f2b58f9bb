package dev.tern.sync.mirror;

import dev.tern.ingest.ImportSettings;
import dev.tern.json.Json;
import dev.tern.metrics.Metrics;
import dev.tern.store.EventStore;
import dev.tern.store.EventWrites;
import dev.tern.store.StoreWriter;
import dev.tern.store.WriteOutcome;
import dev.tern.sync.SyncJob;
import dev.tern.sync.SyncReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tern serve --mirror}: keeps the store in step with other relays. Each peer is reconciled by NIP-77
 * ({@link SyncJob}, the events fetched committed through the relay's writer like {@code POST /api/sync}) at start,
 * every {@code reconcileSeconds} and after its live link was lost; between those a {@link PeerStream} takes its
 * new events as they come and sends it ours. Reconciliations run one at a time on one thread, so their memory is
 * one sync's, whatever the number of peers.
 */
public final class Mirror implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("mirror");
    private final MirrorSettings settings;
    private final EventStore store;
    private final StoreWriter writer;
    private final EventWrites writes;
    private final ImportSettings importSettings;
    private final List<PeerStream> streams = new ArrayList<>();
    /** Peers whose reconciliation is queued and not yet begun: asking again meanwhile adds nothing. */
    private final Set<PeerState> pending = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService reconciler =
            Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("mirror-reconcile").unstarted(r));
    private final StoreWriter.CommitListener listener;

    /** Events fetched go through {@code writes} (the writer, or the cluster log); up-mirroring follows {@code writer}'s commits. */
    public Mirror(MirrorSettings settings, EventStore store, StoreWriter writer, EventWrites writes, ImportSettings importSettings) {
        this.settings = settings;
        this.store = store;
        this.writer = writer;
        this.writes = writes;
        this.importSettings = importSettings;
        LiveIngest ingest = new LiveIngest(store, writes, importSettings.policy());
        long now = System.currentTimeMillis() / 1000;
        for (MirrorPeer peer : settings.peers()) {
            PeerState state = new PeerState(peer, now);
            streams.add(new PeerStream(state, ingest, store, settings.authKey(), settings.timeout(), settings.queuePerPeer(),
                    new Backoff(1_000, 300_000, new Random()), () -> {
                        if (state.connected) requestReconcile(state); // while it is down, its reconnection asks
                    }));
        }
        this.listener = (event, outcome, sequence) -> {
            if (outcome == WriteOutcome.EPHEMERAL_NOT_STORED) return; // not mirrored (LiveIngest)
            for (PeerStream s : streams) s.committed(event);
        };
    }

    public void start() {
        writer.addListener(listener);
        for (PeerStream s : streams) {
            s.start();
            PeerState state = s.state();
            if (settings.reconcileSeconds() > 0) {
                reconciler.scheduleWithFixedDelay(() -> requestReconcile(state), 0, settings.reconcileSeconds(), TimeUnit.SECONDS);
            } else {
                requestReconcile(state);
            }
        }
    }

    private void requestReconcile(PeerState state) {
        if (!pending.add(state)) return;
        try {
            reconciler.execute(() -> {
                pending.remove(state);
                reconcile(state);
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            pending.remove(state); // closing
        }
    }

    private void reconcile(PeerState state) {
        MirrorPeer peer = state.peer;
        SyncReport report = new SyncJob(new SyncJob.Options(peer.url(), peer.filter(), peer.filterJson(), peer.direction(), false,
                settings.authKey(), settings.timeout(), settings.maxPerSecond()), store, writes, importSettings).run();
        state.reconciled(report);
        if (report.failed()) {
            log.warn("mirror: reconciliation with {} failed after {} s: {}", peer.url(), Math.round(report.seconds()), report.failure());
        } else {
            log.info("mirror: reconciled with {} in {} s: only here {}, only there {}, uploaded {}", peer.url(),
                    String.format(java.util.Locale.ROOT, "%.1f", report.seconds()), report.have(), report.need(), report.uploaded());
        }
    }

    /** The "mirror" section of /api/stats: one object per peer. */
    public String statsJson() {
        return Json.string(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("peers");
            for (PeerStream s : streams) s.state().writeJson(g, s.queued());
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** Per-peer figures for /metrics, labelled by the peer's URL. */
    public void registerMetrics(Metrics m) {
        m.labeled("tern_mirror_connected", "1 while the live link to the mirrored peer is open", "peer", false, figure(s -> s.connected ? 1 : 0));
        m.labeled("tern_mirror_events_in", "Events from the peer stored here (live and by reconciliation)", "peer", true, figure(s -> s.eventsIn.get()));
        m.labeled("tern_mirror_events_out", "Events sent to the peer that it stored (live and by reconciliation)", "peer", true, figure(s -> s.eventsOut.get()));
        m.labeled("tern_mirror_duplicates_in", "Events from the peer already held here, dropped before verification", "peer", true, figure(s -> s.duplicatesIn.get()));
        m.labeled("tern_mirror_duplicates_out", "Events sent to the peer that it already held", "peer", true, figure(s -> s.duplicatesOut.get()));
        m.labeled("tern_mirror_refused_in", "Events from the peer refused here (invalid, policy, deleted)", "peer", true, figure(s -> s.refusedIn.get()));
        m.labeled("tern_mirror_refused_out", "Events sent to the peer that it refused", "peer", true, figure(s -> s.refusedOut.get()));
        m.labeled("tern_mirror_dropped", "New local events not queued for the peer (queue full), left to the next reconciliation", "peer", true, figure(s -> s.dropped.get()));
        m.labeled("tern_mirror_errors", "Failed connections, lost links and failed reconciliations", "peer", true, figure(s -> s.errors.get()));
        m.labeled("tern_mirror_reconciliations", "Reconciliations run with the peer", "peer", true, figure(s -> s.reconciliations.get()));
        m.labeled("tern_mirror_last_reconciliation_timestamp_seconds", "When the last reconciliation with the peer ended (Unix time)", "peer", false,
                figure(PeerState::lastReconciliationAt));
        m.labeled("tern_mirror_last_reconciliation_failed", "1 if the last reconciliation with the peer failed", "peer", false,
                figure(s -> s.lastReconciliationFailed() ? 1 : 0));
    }

    private java.util.function.Supplier<Map<String, Double>> figure(ToLongFunction<PeerState> f) {
        return () -> {
            Map<String, Double> out = new LinkedHashMap<>();
            for (PeerStream s : streams) out.put(s.state().peer.url().toString(), (double) f.applyAsLong(s.state()));
            return out;
        };
    }

    /** Stops the links and a running reconciliation (what it committed stays), before the writer closes. */
    @Override
    public void close() throws InterruptedException {
        writer.removeListener(listener);
        reconciler.shutdownNow();
        for (PeerStream s : streams) s.stop();
        for (PeerStream s : streams) s.awaitStopped();
        if (!reconciler.awaitTermination(settings.timeout().toSeconds(), TimeUnit.SECONDS)) log.warn("mirror: a reconciliation did not stop in time");
    }
}
