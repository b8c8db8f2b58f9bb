package dev.tern.cli;

import dev.tern.acl.Acl;
import dev.tern.config.MemoryBudget;
import dev.tern.event.KeyPair;
import dev.tern.event.Nip19;
import dev.tern.event.Schnorr;
import dev.tern.filter.Filter;
import dev.tern.filter.FilterLimits;
import dev.tern.filter.FilterParser;
import dev.tern.filter.FilterResult;
import dev.tern.ingest.ImportPolicy;
import dev.tern.ingest.ImportSettings;
import dev.tern.store.EventStore;
import dev.tern.store.StoreException;
import dev.tern.store.StoreWriter;
import dev.tern.sync.Direction;
import dev.tern.sync.SyncJob;
import dev.tern.sync.SyncReport;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `tern sync URL`: NIP-77 reconciliation with a remote relay, then the missing events fetched into the store
 * (through the import's path) and/or sent to the remote. Opens the store itself, so the relay must not be
 * running on it. Exit codes: 0 done (refusals included), 1 the sync failed, 2 a usage error.
 */
@Command(name = "sync", description = "Reconcile the store with a remote relay by NIP-77 negentropy and move the differences "
        + "(the relay must not be running on this store).",
        footer = {"", "What was committed before a failure stays; running the same sync again completes it.",
                "Exit codes: 0 done (refused events included), 1 the sync failed, 2 usage error."})
final class SyncCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger("sync");

    @Mixin
    MemoryOptions memory;

    @Mixin
    StoreOptions storeOptions;

    @Mixin
    AclModeOption aclMode;

    @Parameters(paramLabel = "URL", description = "The remote relay, ws:// or wss://.")
    URI url;

    @Option(names = "--filter", paramLabel = "JSON", defaultValue = "${env:TERN_SYNC_FILTER:-{}}",
            description = "A NIP-01 filter selecting the events to reconcile; its limit is ignored (env TERN_SYNC_FILTER, default {}).")
    String filterJson;

    @Option(names = "--direction", paramLabel = "DIR", defaultValue = "${env:TERN_SYNC_DIRECTION:-both}",
            description = "down: fetch what this store lacks; up: send what the remote lacks; both (env TERN_SYNC_DIRECTION, default both).")
    Direction direction;

    @Option(names = "--dry-run", defaultValue = "${env:TERN_SYNC_DRY_RUN:-false}",
            description = "Only reconcile and report the differences; move nothing (env TERN_SYNC_DRY_RUN, default false).")
    boolean dryRun;

    @Option(names = "--auth-key", paramLabel = "NSEC", defaultValue = "${env:TERN_SYNC_AUTH_KEY:-}",
            description = "Secret key (nsec or hex) that signs NIP-42 AUTH at the remote's challenge (a tern relay listing it "
                    + "in TERN_ADMINS exempts the sync from its event rates); empty: never authenticate (env TERN_SYNC_AUTH_KEY, "
                    + "default none).")
    String authKey;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "${env:TERN_SYNC_TIMEOUT_SECONDS:-30}",
            description = "Longest wait for any one answer of the remote; the first answer of a relay listing NIP-77 gets ten "
                    + "times it (env TERN_SYNC_TIMEOUT_SECONDS, default 30).")
    int timeoutSeconds;

    @Option(names = "--progress-seconds", paramLabel = "S", defaultValue = "${env:TERN_SYNC_PROGRESS_SECONDS:-5}",
            description = "Seconds between progress log lines (env TERN_SYNC_PROGRESS_SECONDS, default 5).")
    int progressSeconds;

    @Override
    public Integer call() {
        MemoryBudget budget;
        Filter filter;
        KeyPair key;
        try {
            budget = memory.budget();
            Schnorr.cachePublicKeys(budget.publicKeyCacheMb());
            if (url.getHost() == null || !("ws".equals(url.getScheme()) || "wss".equals(url.getScheme()))) {
                throw new IllegalArgumentException("the URL must be ws:// or wss:// with a host, got " + url);
            }
            filter = switch (new FilterParser(FilterLimits.EXPORT).parse(filterJson)) {
                case FilterResult.Ok<Filter> ok -> ok.value();
                case FilterResult.Error<Filter> err -> throw new IllegalArgumentException("--filter: " + err.message());
            };
            key = authKey.isEmpty() ? null : KeyPair.fromSecret(Nip19.secretKeyFromNsecOrHex(authKey));
            if (timeoutSeconds < 1) throw new IllegalArgumentException("--timeout must be at least 1 second");
        } catch (IllegalArgumentException e) {
            System.err.println("tern sync: " + e.getMessage());
            return 2;
        }
        EventStore store;
        try {
            store = storeOptions.open(storeOptions.storeConfig(budget), false, "stop the relay first");
        } catch (StoreException e) {
            System.err.println("tern sync: " + e.getMessage());
            return 1;
        }
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("sync-progress").unstarted(r));
        try (store; StoreWriter writer = new StoreWriter(store, StoreWriter.Settings.defaults(budget.writerQueueMb() * 1024L * 1024))) {
            ImportPolicy policy = Acl.importPolicy(aclMode.mode, store);
            ImportSettings settings = new ImportSettings(ImportSettings.DEFAULT_MAX_LINE_BYTES, ImportSettings.DEFAULT_BATCH_EVENTS,
                    budget.importQueueMb() * 1024L * 1024, Runtime.getRuntime().availableProcessors(), true, policy);
            SyncJob job = new SyncJob(new SyncJob.Options(url, filter, filterJson, direction, dryRun, key,
                    Duration.ofSeconds(timeoutSeconds), dev.tern.sync.SyncSettings.DEFAULTS.maxPerSecond()), store, writer, settings);
            progress.scheduleAtFixedRate(() -> log.info("{}", job.progress()), progressSeconds, progressSeconds, TimeUnit.SECONDS);
            SyncReport report = job.run();
            System.out.print(report.toText());
            if (report.failed()) {
                System.err.println("tern sync: " + report.failure() + "; what was committed is kept, run the same sync again to complete it");
                return 1;
            }
            return 0;
        } catch (RuntimeException e) {
            System.err.println("tern sync: failed: " + e.getMessage());
            return 1;
        } finally {
            progress.shutdownNow();
        }
    }
}
