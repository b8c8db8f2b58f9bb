package dev.tern.http;

import dev.tern.acl.AdminGuard;
import dev.tern.config.MemoryBudget;
import dev.tern.ingest.ImportSettings;
import dev.tern.store.StoreWriter;
import dev.tern.metrics.Metrics;
import dev.tern.store.EventStore;
import io.netty.handler.codec.http.HttpMethod;

/**
 * The operator's HTTP API on the relay's port, behind the page the relay serves at {@code /}:
 * {@code /api/import}, {@code /api/export}, {@code /api/stats} and {@code /metrics}. Import and export are admin
 * endpoints behind the ACL's {@link AdminGuard}; the rest are public.
 */
public final class HttpApi implements AutoCloseable {
    private final Imports imports;
    private final ImportRoutes importRoutes;
    private final ExportRoute export;
    private final StatsRoute stats;

    public HttpApi(EventStore store, StoreWriter writer, AdminGuard guard, ImportSettings importSettings, MemoryBudget budget) {
        AdminAccess admin = new AdminAccess(guard);
        StoreFigures figures = new StoreFigures(store);
        figures.registerGauges(Metrics.get());
        this.imports = new Imports(writer, importSettings);
        this.importRoutes = new ImportRoutes(imports, admin);
        this.export = new ExportRoute(store, admin);
        this.stats = new StatsRoute(figures, budget);
    }

    /** Adds the routes; pass as the relay's route hook. */
    public void register(HttpRouter router) {
        importRoutes.register(router);
        router.add(HttpMethod.GET, "/api/export", export)
                .add(HttpMethod.GET, "/api/stats", stats)
                .add(HttpMethod.GET, "/metrics", new MetricsRoute());
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
