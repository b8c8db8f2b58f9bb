package dev.tern.blob;

import dev.tern.store.EventStore;
import dev.tern.store.StoreMutations;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Blob metadata in the store's meta values, so it is as durable as the events and survives with them:
 * <ul>
 * <li>{@code blob/b/<sha256>} -> {@link BlobMeta};
 * <li>{@code blob/o/<pubkey>/<sha256>} -> when that pubkey uploaded it (8 bytes): one record per owner;
 * <li>{@code blob/u/<pubkey>} -> bytes and blobs that pubkey owns (8 + 8 bytes), for its quota;
 * <li>{@code blob/r/<report id>} -> a BUD-09 report event as received.
 * </ul>
 * Reads may run on any thread; the changes ({@link #addOwner}, {@link #removeOwner}, {@link #putReport}) only
 * on the store's writer thread, each committed atomically.
 */
final class BlobIndex {
    static final String BLOB = "blob/b/";
    static final String OWNER = "blob/o/";
    static final String USAGE = "blob/u/";
    static final String REPORT = "blob/r/";

    /** What one pubkey owns. */
    record Usage(long bytes, long blobs) {
        static final Usage NONE = new Usage(0, 0);
    }

    /** One blob of an owner's list. */
    record Owned(String sha256, long uploaded) {}

    private final EventStore store;

    BlobIndex(EventStore store) {
        this.store = store;
    }

    BlobMeta meta(String sha256) {
        return store.meta(BLOB + sha256).map(BlobMeta::decode).orElse(null);
    }

    /** When {@code owner} uploaded the blob, or -1 if it does not own it. */
    long ownedSince(String owner, String sha256) {
        return store.meta(OWNER + owner + "/" + sha256).map(b -> ByteBuffer.wrap(b).getLong()).orElse(-1L);
    }

    Usage usage(String owner) {
        return store.meta(USAGE + owner).map(b -> {
            ByteBuffer buf = ByteBuffer.wrap(b);
            return new Usage(buf.getLong(), buf.getLong());
        }).orElse(Usage.NONE);
    }

    /** The first {@code max} blobs {@code owner} owns, in hash order. */
    List<Owned> owned(String owner, int max) {
        List<Owned> list = new ArrayList<>();
        forEachOwned(owner, o -> {
            list.add(o);
            return list.size() < max;
        });
        return list;
    }

    /** Visits the blobs {@code owner} owns, in hash order, until {@code visitor} answers false. */
    void forEachOwned(String owner, java.util.function.Predicate<Owned> visitor) {
        String prefix = OWNER + owner + "/";
        store.scanMeta(prefix, (key, value) -> visitor.test(new Owned(key.substring(prefix.length()), ByteBuffer.wrap(value).getLong())));
    }

    /** Writer thread: removes an owner record whose blob record is gone. */
    void dropOwnerRecord(StoreMutations m, String sha256, String owner) {
        Map<String, byte[]> changes = new HashMap<>();
        changes.put(OWNER + owner + "/" + sha256, null);
        m.writeMeta(changes);
    }

    /** Writer thread: makes {@code owner} an owner of the blob ({@code meta} is what to store if it is new). */
    BlobMeta addOwner(StoreMutations m, String sha256, BlobMeta meta, String owner, long now) {
        BlobMeta current = meta(sha256);
        BlobMeta next = current == null ? meta.withOwners(1) : current.withOwners(current.owners() + 1);
        Usage u = usage(owner);
        Map<String, byte[]> changes = new HashMap<>();
        changes.put(BLOB + sha256, next.encode());
        changes.put(OWNER + owner + "/" + sha256, ByteBuffer.allocate(8).putLong(now).array());
        changes.put(USAGE + owner, usage(u.bytes + next.size(), u.blobs + 1));
        m.writeMeta(changes);
        return next;
    }

    /**
     * Writer thread: {@code owner} gives the blob up. Returns the blob's metadata after the change (owners 0 when
     * it was the last, and the record is gone), or null if {@code owner} did not own it.
     */
    BlobMeta removeOwner(StoreMutations m, String sha256, String owner) {
        BlobMeta current = meta(sha256);
        if (current == null || ownedSince(owner, sha256) < 0) return null;
        BlobMeta next = current.withOwners(current.owners() - 1);
        Usage u = usage(owner);
        Map<String, byte[]> changes = new HashMap<>();
        changes.put(BLOB + sha256, next.owners() <= 0 ? null : next.encode());
        changes.put(OWNER + owner + "/" + sha256, null);
        changes.put(USAGE + owner, u.blobs <= 1 ? null : usage(Math.max(0, u.bytes - current.size()), u.blobs - 1));
        m.writeMeta(changes);
        return next;
    }

    /** Writer thread. */
    void putReport(StoreMutations m, String id, byte[] event) {
        m.writeMeta(Map.of(REPORT + id, event));
    }

    boolean hasReport(String id) {
        return store.meta(REPORT + id).isPresent();
    }

    /** The stored reports, at most {@code max}. */
    List<byte[]> reports(int max) {
        List<byte[]> list = new ArrayList<>();
        store.scanMeta(REPORT, (key, value) -> {
            list.add(value);
            return list.size() < max;
        });
        return list;
    }

    /** Calls {@code each} for every blob record. */
    void forEachBlob(java.util.function.BiConsumer<String, BlobMeta> each) {
        store.scanMeta(BLOB, (key, value) -> {
            each.accept(key.substring(BLOB.length()), BlobMeta.decode(value));
            return true;
        });
    }

    private static byte[] usage(long bytes, long blobs) {
        return ByteBuffer.allocate(16).putLong(bytes).putLong(blobs).array();
    }
}
