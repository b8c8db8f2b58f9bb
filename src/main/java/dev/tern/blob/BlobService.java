package dev.tern.blob;

import dev.tern.acl.Acl;
import dev.tern.config.MemoryBudget;
import dev.tern.store.StoreMutations;
import dev.tern.store.StoreWriter;
import dev.tern.metrics.Metrics;
import dev.tern.store.EventStore;
import dev.tern.store.StoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Blossom media server's state: the blob files, their metadata in the store, who may upload, and the
 * threads that move bytes. Every change to the metadata, and the file moves that go with it (installing a
 * verified upload, removing a blob whose last owner deleted it), run as one task on the store's writer, so
 * they are ordered against each other: an upload never installs a file a concurrent delete then removes.
 */
public final class BlobService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BlobService.class);

    /** A blob an upload or mirror committed: its metadata, when this owner got it, and whether it is new here. */
    record Stored(String sha256, BlobMeta meta, long uploaded, boolean created) {}

    final BlobSettings settings;
    final BlobFiles files;
    final BlobIndex index;
    final UploadPolicy policy;
    final BlobAuth auth;
    final LongSupplier clockSeconds;
    private final StoreWriter writer;
    private final AtomicLong blobs = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong reports = new AtomicLong();
    /** Owner records read at once while a banned pubkey's blobs are removed. */
    private static final int REMOVE_BATCH = 1000;
    /** Uploads and mirrors in flight: each holds a thread and a pipe for its whole transfer. */
    private final Semaphore transferSlots;
    private final int maxTransfers;
    private final ExecutorService transfers;
    /** Metadata reads and file opens for downloads, off the event loops. */
    private final ExecutorService lookups;

    /**
     * Opens the blob directory, removes what a crash left behind (unfinished uploads, files whose metadata
     * never committed) and counts the blobs.
     *
     * @param maxTransfers uploads and mirrors at once (their buffers are the blob share of the memory budget)
     */
    public BlobService(BlobSettings settings, EventStore store, StoreWriter writer, Acl acl, int maxTransfers,
                       LongSupplier clockSeconds) {
        this.settings = settings;
        this.files = new BlobFiles(settings.dir());
        this.index = new BlobIndex(store);
        this.policy = new UploadPolicy(acl.policy(), settings.publicUploads());
        this.auth = new BlobAuth(BlobAuth.hostName(hostOf(settings.publicUrl())), clockSeconds);
        this.clockSeconds = clockSeconds;
        this.writer = writer;
        this.maxTransfers = maxTransfers;
        this.transferSlots = new Semaphore(maxTransfers);
        this.transfers = new ThreadPoolExecutor(0, maxTransfers, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), threads("blob-transfer"));
        this.lookups = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1024), threads("blob-lookup"));
        cleanUp(store);
        if (acl.managed() != null) removeBannedOwners(acl.managed().bannedPubkeys().keySet());
    }

    /** A crash between a NIP-86 ban and the removal of the pubkey's blobs leaves them stored: finish the job at start. */
    private void removeBannedOwners(java.util.Set<dev.tern.event.ByteKey> banned) {
        List<String> owning = new ArrayList<>();
        for (dev.tern.event.ByteKey pubkey : banned) {
            if (index.usage(pubkey.toString()).blobs() > 0) owning.add(pubkey.toString());
        }
        if (owning.isEmpty()) return;
        // done before the server answers a request
        onWriter(m -> {
            owning.forEach(owner -> removeAllNow(m, owner));
            return null;
        }).join();
    }

    /** How many uploads and mirrors fit the budget's blob buffers at once. */
    public static int transfersFor(MemoryBudget budget) {
        return (int) Math.max(1, budget.blobBuffersMb() * 1024L * 1024 / BlobUpload.PIPE_MAX_BYTES);
    }

    private void cleanUp(EventStore store) {
        try {
            int temp = files.clearTemp();
            List<String> orphans = new ArrayList<>();
            files.forEach(sha -> {
                if (index.meta(sha) == null) orphans.add(sha);
            });
            for (String sha : orphans) files.remove(sha);
            if (temp + orphans.size() > 0) {
                log.info("blobs: removed {} unfinished uploads and {} files without metadata (left by a crash)", temp, orphans.size());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean the blob directory " + files.root() + ": " + e.getMessage(), e);
        }
        index.forEachBlob((sha, meta) -> {
            blobs.incrementAndGet();
            bytes.addAndGet(meta.size());
        });
        store.scanMeta(BlobIndex.REPORT, (key, value) -> {
            reports.incrementAndGet();
            return true;
        });
        log.info("blobs: {} blobs, {} bytes in {}", blobs.get(), bytes.get(), files.root());
    }

    public long blobCount() {
        return blobs.get();
    }

    public long blobBytes() {
        return bytes.get();
    }

    public long reportCount() {
        return reports.get();
    }

    /** The "blobs" section of /api/stats. */
    public String statsJson() {
        return "{\"count\":" + blobs.get() + ",\"bytes\":" + bytes.get() + ",\"reports\":" + reports.get() + "}";
    }

    /** Blob figures for /metrics. */
    public void registerGauges(Metrics m) {
        m.gauge("tern_blobs", "Blobs stored (Blossom)", blobs::get);
        m.gauge("tern_blob_bytes", "Bytes of the blobs stored (Blossom)", bytes::get);
        m.gauge("tern_blob_reports", "BUD-09 reports kept for the operator", reports::get);
    }

    public BlobSettings settings() {
        return settings;
    }

    /** Takes a transfer slot, or answers 503: the uploads' buffers are bounded by the memory budget. */
    void startTransfer(Runnable transfer) {
        if (!transferSlots.tryAcquire()) {
            throw new BlobException(503, "too many uploads at once (" + maxTransfers + "); try again shortly");
        }
        try {
            transfers.execute(() -> {
                try {
                    transfer.run();
                } finally {
                    transferSlots.release();
                }
            });
        } catch (RuntimeException e) {
            transferSlots.release();
            throw new BlobException(503, "the server is shutting down");
        }
    }

    /** Runs a quick read off the event loop; 503 when too many wait. */
    <T> CompletableFuture<T> lookup(Supplier<T> read) {
        try {
            return CompletableFuture.supplyAsync(read, lookups);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new BlobException(503, "too many requests waiting; try again shortly"));
        }
    }

    /**
     * Writer task: makes {@code owner} an owner of the verified upload in {@code temp}, moving the file into place
     * if the blob is new here, within the owner's quota. The temp file is gone afterwards in every case.
     */
    CompletableFuture<Stored> commit(Path temp, String sha256, long size, String type, String owner) {
        return onWriter(m -> {
            try {
                return commitNow(m, temp, sha256, size, type, owner);
            } finally {
                deleteQuietly(temp);
            }
        });
    }

    private Stored commitNow(StoreMutations m, Path temp, String sha256, long size, String type, String owner) {
        long since = index.ownedSince(owner, sha256);
        BlobMeta current = index.meta(sha256);
        if (since >= 0 && current != null) return new Stored(sha256, current, since, false);
        checkQuota(owner, size);
        boolean created = current == null;
        long now = clockSeconds.getAsLong();
        try {
            if (created) files.install(temp, sha256);
            BlobMeta stored = index.addOwner(m, sha256, new BlobMeta(size, type, now, 0), owner, now);
            if (created) {
                blobs.incrementAndGet();
                bytes.addAndGet(size);
            }
            return new Stored(sha256, stored, now, created);
        } catch (IOException | StoreException e) {
            if (created) removeFileQuietly(sha256);
            throw new BlobException(507, "cannot store the blob: " + e.getMessage(), e);
        }
    }

    /** Throws 429 if {@code owner} (not an owner or admin) would go over its quota with {@code size} more bytes. */
    void checkQuota(String owner, long size) {
        if (policy.isPrivileged(owner)) return;
        BlobIndex.Usage u = index.usage(owner);
        if (settings.quotaBlobs() > 0 && u.blobs() + 1 > settings.quotaBlobs()) {
            throw new BlobException(429, "quota reached: you own " + u.blobs() + " blobs, the most allowed here");
        }
        if (settings.quotaBytes() > 0 && u.bytes() + size > settings.quotaBytes()) {
            throw new BlobException(429, "quota reached: " + u.bytes() + " of " + settings.quotaBytes() + " bytes used, this blob needs " + size);
        }
    }

    /** Writer task: {@code owner} deletes its copy; the file goes with the last owner. False if it owned none. */
    CompletableFuture<Boolean> delete(String sha256, String owner) {
        return onWriter(m -> deleteNow(m, sha256, owner));
    }

    private boolean deleteNow(StoreMutations m, String sha256, String owner) {
        BlobMeta after = index.removeOwner(m, sha256, owner);
        if (after == null) return false;
        if (after.owners() <= 0) {
            blobs.decrementAndGet();
            bytes.addAndGet(-after.size());
            removeFileQuietly(sha256);
        }
        return true;
    }

    /** Writer task: removes every blob {@code owner} owns (the admin call); answers how many it owned. */
    public CompletableFuture<Integer> removeAllOf(String owner) {
        return onWriter(m -> removeAllNow(m, owner));
    }

    /**
     * On the writer thread: {@code owner} (a banned pubkey) gives up every blob it owns, each file going with its
     * last owner, as if it had deleted them one by one. A NIP-86 ban runs this inside its own writer task.
     * Reads the owner's records a batch at a time, so a pubkey with millions of blobs costs one batch of memory.
     */
    public int removeAllNow(StoreMutations m, String owner) {
        int n = 0;
        for (List<BlobIndex.Owned> batch; !(batch = index.owned(owner, REMOVE_BATCH)).isEmpty(); ) {
            for (BlobIndex.Owned o : batch) {
                // a record whose blob is gone (a crash between two commits) is dropped, else the loop would not end
                if (deleteNow(m, o.sha256(), owner)) n++;
                else index.dropOwnerRecord(m, o.sha256(), owner);
            }
        }
        if (n > 0) log.info("blobs: removed the {} blobs of {}", n, owner);
        return n;
    }

    /** Writer task: keeps a BUD-09 report for the operator. */
    CompletableFuture<Void> report(String id, byte[] event) {
        return onWriter(m -> {
            if (!index.hasReport(id)) reports.incrementAndGet();
            index.putReport(m, id, event);
            return null;
        });
    }

    /** Reports kept, at most {@code max}. */
    public List<byte[]> reports(int max) {
        return index.reports(max);
    }

    private <T> CompletableFuture<T> onWriter(java.util.function.Function<StoreMutations, T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        boolean queued = writer.offerTask(m -> {
            try {
                f.complete(task.apply(m));
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        if (!queued) f.completeExceptionally(new BlobException(503, "the store is busy or stopping; try again shortly"));
        return f;
    }

    private void removeFileQuietly(String sha256) {
        try {
            files.remove(sha256);
        } catch (IOException e) {
            log.warn("blobs: could not remove the file of {} ({}); the next start removes it", sha256, e.getMessage());
        }
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            log.warn("blobs: could not remove {} ({}); the next start removes it", p, e.getMessage());
        }
    }

    private static String hostOf(String url) {
        if (url.isEmpty()) return "";
        try {
            String host = java.net.URI.create(url).getHost();
            return host == null ? "" : host;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("TERN_BLOSSOM_PUBLIC_URL is not a URL: " + url, e);
        }
    }

    private static java.util.concurrent.ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Stops the transfer and lookup threads; transfers under way fail with their connection. */
    @Override
    public void close() {
        transfers.shutdownNow();
        lookups.shutdownNow();
    }
}
