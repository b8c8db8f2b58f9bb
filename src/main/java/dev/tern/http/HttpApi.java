package dev.tern.http;

import dev.tern.acl.AdminGuard;
import dev.tern.acl.DmPrivacy;
import dev.tern.acl.Nip86Calls;
import dev.tern.acl.Nip86Handler;
import dev.tern.config.MemoryBudget;
import dev.tern.ingest.ImportSettings;
import dev.tern.store.EventWrites;
import dev.tern.store.StoreWriter;
import dev.tern.metrics.Metrics;
import dev.tern.store.EventStore;
import io.netty.handler.codec.http.HttpMethod;

/**
 * The operator's HTTP API on the relay's port, behind the page the relay serves at {@code /}:
 * {@code /api/import}, {@code /api/export}, {@code /api/sync}, {@code /api/stats}, {@code /metrics} and, in managed mode,
 * NIP-86 at {@code POST /}. Import, export, sync and NIP-86 are admin endpoints behind the ACL's {@link AdminGuard}, whose client
 * {@link AdminAccess} names; the rest are public.
 */
public final class HttpApi implements AutoCloseable {
    private final Imports imports;
    private final ImportRoutes importRoutes;
    private final ExportRoute export;
    private final StatsRoute stats;
    private final Nip86Route nip86;
    private final SyncRoutes sync;
    private final SnapshotRoute snapshot;

    /** {@code nip86} answers NIP-86 calls in managed mode; null otherwise (the API is then not served). */
    public HttpApi(EventStore store, StoreWriter writer, AdminGuard guard, Nip86Handler nip86, DmPrivacy privacy,
                   ImportSettings importSettings, MemoryBudget budget) {
        this(store, writer, writer, guard, nip86, privacy, importSettings, budget);
    }

    /** As above, with uploads and syncs writing through {@code writes} (the cluster log in cluster mode). */
    public HttpApi(EventStore store, StoreWriter writer, EventWrites writes, AdminGuard guard, Nip86Handler nip86, DmPrivacy privacy,
                   ImportSettings importSettings, MemoryBudget budget) {
        AdminAccess admin = new AdminAccess(guard);
        this.nip86 = nip86 == null ? null : new Nip86Route(admin, nip86, writer);
        StoreFigures figures = new StoreFigures(store);
        figures.registerGauges(Metrics.get());
        this.imports = new Imports(writes, importSettings);
        this.importRoutes = new ImportRoutes(imports, admin);
        this.export = new ExportRoute(store, admin, privacy);
        this.sync = new SyncRoutes(store, writes, importSettings, admin);
        this.snapshot = new SnapshotRoute(store, admin);
        this.stats = new StatsRoute(figures, budget);
    }

    /** Adds the routes; pass as the relay's route hook. */
    public void register(HttpRouter router) {
        importRoutes.register(router);
        sync.register(router);
        router.add(HttpMethod.GET, "/api/export", export)
                .add(HttpMethod.GET, "/api/stats", stats)
                .add(HttpMethod.GET, "/api/snapshot", snapshot)
                .add(HttpMethod.GET, "/metrics", new MetricsRoute());
        if (nip86 != null) router.add(HttpMethod.POST, "/", nip86);
    }

    /**
     * In managed mode, a NIP-86 pubkey ban also runs {@code purge} (the Blossom server's removal of the pubkey's
     * blobs) in the ban's writer task, with its mutations.
     */
    public void purgeOnBan(java.util.function.BiConsumer<dev.tern.store.StoreMutations, dev.tern.event.ByteKey> purge) {
        if (nip86 != null) nip86.purgeOnBan(purge);
    }

    /** The effect of a NIP-86 call (null when the API is not served), for the cluster log to apply on every node. */
    public Nip86Calls.Effect nip86Effect() {
        return nip86 == null ? null : nip86::effect;
    }

    /** NIP-86 calls go through {@code calls} (the cluster log) instead of this node's writer. */
    public void routeNip86Through(Nip86Calls calls) {
        if (nip86 != null) nip86.routeThrough(calls);
    }

    /** Adds a section to /api/stats: {@code json} answers a JSON object, read at each request. */
    public void addStats(String name, java.util.function.Supplier<String> json) {
        stats.addSection(name, json);
    }

    Imports imports() {
        return imports;
    }

    /** Ends a running import and the exports; call after the relay has stopped accepting. */
    @Override
    public void close() {
        imports.close();
        export.close();
    }
}
