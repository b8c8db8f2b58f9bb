package dev.tern.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.EnvOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.IngestExternalFileOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.SstFileWriter;
import org.rocksdb.WriteOptions;

/**
 * A bulk load's index keys, kept out of the memtables: the writer appends each committed event's index keys here,
 * and when the buffer is full {@link #ingest} hands it to a thread of its own, which sorts each index family's
 * keys, writes them to a table file with {@link SstFileWriter} (the family's own options) and ingests it into the
 * family, moving the file, while the writer fills a second buffer. A flush's sort of a vector memtable cost more
 * (BENCHMARKS.md, issue 22's lever 1); on the writer thread the ingestion's wait for its flush held up the load.
 *
 * <p>Crash safety: an ingestion first flushes every family, so the events of every ingested key are durable
 * before it, and then records {@link MetaKeys#INDEXED_THROUGH}; a durable event past that serial may lack its
 * index keys, and {@link EventStore} builds them again from the events family when the store next opens. A
 * checkpoint stays in the batch of its events: holding checkpoints back to the ingestions would not do, since
 * events flushed before their checkpoint count as duplicates on resume and would never get their keys.
 *
 * <p>Called by the writer thread only; the ingestions run on {@code store-index-runs}, one at a time, in order.
 * Bounded: two buffers of half of {@code budgetBytes} each (keys, values and references on the heap, in chunks of
 * a megabyte kept once made); a buffer is also handed over once a family has {@value #MAX_KEYS} keys in it (checked
 * after each batch), so the packed sort keeps about 45 bits of each key (the fewer keys, the more bits).
 */
final class IndexRuns implements AutoCloseable {
    static final int MAX_KEYS = 1 << 18;
    /** What a buffered key costs besides its bytes: its lengths and reference, and a sort's packed long and position. */
    private static final int KEY_OVERHEAD = 19;
    private static final String DIRECTORY = "index-runs";

    private final RocksDB db;
    private final Families cf;
    private final Path dir;
    private final long bufferBytes;
    private final long memtableBytes;
    private final WriteOptions writeOptions;
    private Buffer filling = new Buffer();
    /** The buffer being ingested, or ready to fill once {@link #ingesting} is done. */
    private Buffer spare = new Buffer();
    private final Map<Index, Options> options = new EnumMap<>(Index.class);
    private final EnvOptions env = new EnvOptions();
    private final IngestExternalFileOptions move = new IngestExternalFileOptions().setMoveFiles(true);
    private final FlushOptions flush = new FlushOptions().setWaitForFlush(true);
    /** SstFileWriter takes direct buffers: one key and one value at a time. */
    private final ByteBuffer key = ByteBuffer.allocateDirect(1024);
    private final ByteBuffer value = ByteBuffer.allocateDirect(64);
    private final ExecutorService thread = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("store-index-runs").factory());
    private Future<?> ingesting = CompletableFuture.completedFuture(null);
    private long files;

    /**
     * {@code memtableBytes} is the memtables' budget, {@code families} maps each index to the options its column
     * family was opened with; the serials ingested through are written with {@code writeOptions}.
     */
    IndexRuns(RocksDB db, Families cf, Path dataDir, long budgetBytes, long memtableBytes, DBOptions dbOptions,
              Map<Index, ColumnFamilyOptions> families, WriteOptions writeOptions) throws IOException {
        this.db = db;
        this.cf = cf;
        this.bufferBytes = budgetBytes / 2;
        this.memtableBytes = memtableBytes;
        this.writeOptions = writeOptions;
        dir = dataDir.resolve(DIRECTORY);
        removeLeftFiles(dataDir);
        Files.createDirectories(dir);
        for (Index index : Index.values()) options.put(index, new Options(dbOptions, families.get(index)));
    }

    /** Files a crashed load wrote and did not ingest. */
    static void removeLeftFiles(Path dataDir) throws IOException {
        Path d = dataDir.resolve(DIRECTORY);
        if (Files.isDirectory(d)) Directories.deleteTree(d);
    }

    void add(List<IndexEntry> entries) {
        for (IndexEntry e : entries) filling.add(e);
    }

    /**
     * True when the buffer is full, or when the memtables are three quarters full and no ingestion is under way (its
     * flush empties them): RocksDB flushes them at seven eighths, and an ingestion flushes every family anyway, so
     * ingesting first makes each flush an ingestion's.
     */
    boolean full() throws RocksDBException {
        if (filling.bytes >= bufferBytes) return true;
        for (Run r : filling.runs.values()) if (r.n >= MAX_KEYS) return true;
        return filling.bytes > 0 && ingesting.isDone()
                && db.getAggregatedLongProperty("rocksdb.cur-size-all-mem-tables") >= memtableBytes / 4 * 3;
    }

    /**
     * Starts ingesting every buffered key, {@code through} being the serial after the last event they come from,
     * once the previous ingestion is done (waiting for it): flushes every family (their events become durable),
     * ingests one file per index family, then records the serial (durable with the next flush; until then a crash
     * only makes the next open rebuild more).
     */
    void ingest(long through) throws RocksDBException {
        if (filling.bytes == 0) return;
        awaitIngestion();
        Buffer full = filling;
        filling = spare;
        spare = full;
        ingesting = thread.submit(() -> {
            ingest(full, through);
            return null;
        });
    }

    /** Waits for the ingestion under way, if any: every key handed to {@link #ingest} is then in its family. */
    void awaitIngestion() throws RocksDBException {
        try {
            ingesting.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while ingesting index keys", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RocksDBException r) throw r;
            throw new StoreException("ingesting index keys failed", e.getCause());
        }
    }

    private void ingest(Buffer b, long through) throws RocksDBException {
        db.flush(flush, cf.all());
        for (Index index : Index.values()) {
            Run r = b.runs.get(index);
            if (r.n == 0) continue;
            String file = dir.resolve(index.family + "-" + files++ + ".sst").toString();
            try (SstFileWriter w = new SstFileWriter(env, options.get(index))) {
                w.open(file);
                r.writeSorted(w, key, value);
                w.finish();
            }
            db.ingestExternalFile(cf.index(index), List.of(file), move);
        }
        b.clear();
        db.put(cf.meta(), writeOptions, MetaKeys.INDEXED_THROUGH, Keys.longValue(through));
    }

    /**
     * After {@link #awaitIngestion}, or with nothing ingested since: every file is in its family, so the directory
     * goes (files a crash leaves are removed when the store next opens).
     */
    @Override
    public void close() {
        thread.close();
        try {
            removeLeftFiles(dir.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        options.values().forEach(Options::close);
        env.close();
        move.close();
        flush.close();
    }

    /** Every family's keys of one buffer. */
    private static final class Buffer {
        final Map<Index, Run> runs = new EnumMap<>(Index.class);
        long bytes;

        Buffer() {
            for (Index index : Index.values()) runs.put(index, new Run());
        }

        void add(IndexEntry e) {
            runs.get(e.index()).add(e.key(), e.value());
            bytes += e.key().length + e.value().length + KEY_OVERHEAD;
        }

        void clear() {
            runs.values().forEach(Run::clear);
            bytes = 0;
        }
    }

    /**
     * One family's buffered keys and values in arrival order, copied into chunks that are kept from run to run, so
     * the heap holds no object per key and the collector has nothing to copy: each entry is a key length (2), a
     * value length (1), the key and the value, and {@code refs} holds each entry's chunk and offset.
     */
    private static final class Run {
        private static final int CHUNK_BITS = 20;
        private static final int CHUNK = 1 << CHUNK_BITS;
        private final List<byte[]> chunks = new ArrayList<>();
        private int chunk;
        private int at;
        int[] refs = new int[1024];
        int n;

        void add(byte[] key, byte[] value) {
            int size = 3 + key.length + value.length;
            if (chunks.isEmpty() || at + size > CHUNK) {
                if (!chunks.isEmpty()) chunk++;
                if (chunk == chunks.size()) chunks.add(new byte[CHUNK]);
                at = 0;
            }
            byte[] c = chunks.get(chunk);
            c[at] = (byte) (key.length >>> 8);
            c[at + 1] = (byte) key.length;
            c[at + 2] = (byte) value.length;
            System.arraycopy(key, 0, c, at + 3, key.length);
            System.arraycopy(value, 0, c, at + 3 + key.length, value.length);
            if (n == refs.length) refs = Arrays.copyOf(refs, n * 2);
            refs[n++] = chunk << CHUNK_BITS | at;
            at += size;
        }

        void clear() {
            chunk = 0;
            at = 0;
            n = 0;
        }

        byte[] chunkOf(int ref) {
            return chunks.get(ref >>> CHUNK_BITS);
        }

        static int offset(int ref) {
            return ref & (CHUNK - 1);
        }

        static int keyLength(byte[] c, int offset) {
            return (c[offset] & 0xff) << 8 | c[offset + 1] & 0xff;
        }

        /** Writes the entries in key order, a key repeated in one event (a repeated tag) once. */
        void writeSorted(SstFileWriter w, ByteBuffer key, ByteBuffer value) throws RocksDBException {
            int[] order = sortedOrder();
            byte[] lastChunk = null;
            int lastOffset = 0;
            for (int i : order) {
                byte[] c = chunkOf(refs[i]);
                int o = offset(refs[i]);
                int kl = keyLength(c, o);
                if (lastChunk != null && Arrays.equals(lastChunk, lastOffset + 3, lastOffset + 3 + keyLength(lastChunk, lastOffset), c, o + 3, o + 3 + kl)) continue;
                key.clear();
                key.put(c, o + 3, kl).flip();
                value.clear();
                value.put(c, o + 3 + kl, c[o + 2] & 0xff).flip();
                w.put(key, value);
                lastChunk = c;
                lastOffset = o;
            }
        }

        /**
         * The positions in key order: each key's first bits and its position packed into one long and sorted as
         * primitives, then each run of equal prefixes (one popular tag value) by comparing the keys.
         */
        private int[] sortedOrder() {
            int positionBits = Math.max(1, 64 - Long.numberOfLeadingZeros(n - 1L));
            int prefixBits = 63 - positionBits;
            long positionMask = (1L << positionBits) - 1;
            long[] packed = new long[n];
            for (int i = 0; i < n; i++) packed[i] = (prefix(refs[i]) >>> (64 - prefixBits)) << positionBits | i;
            Arrays.sort(packed);
            int[] order = new int[n];
            List<Integer> ties = new ArrayList<>();
            for (int i = 0; i < n; ) {
                int j = i + 1;
                while (j < n && packed[j] >>> positionBits == packed[i] >>> positionBits) j++;
                if (j - i == 1) {
                    order[i] = (int) (packed[i] & positionMask);
                } else {
                    ties.clear();
                    for (int x = i; x < j; x++) ties.add((int) (packed[x] & positionMask));
                    ties.sort(this::compareKeys);
                    for (int x = i; x < j; x++) order[x] = ties.get(x - i);
                }
                i = j;
            }
            return order; // SstFileWriter refuses keys out of order, so a wrong sort fails the load
        }

        private int compareKeys(int a, int b) {
            byte[] ca = chunkOf(refs[a]);
            byte[] cb = chunkOf(refs[b]);
            int oa = offset(refs[a]);
            int ob = offset(refs[b]);
            return Arrays.compareUnsigned(ca, oa + 3, oa + 3 + keyLength(ca, oa), cb, ob + 3, ob + 3 + keyLength(cb, ob));
        }

        /** The key's first 8 bytes, zero-padded, as an unsigned-ordered long's bits. */
        private long prefix(int ref) {
            byte[] c = chunkOf(ref);
            int o = offset(ref);
            int length = keyLength(c, o);
            long p = 0;
            for (int b = 0; b < 8; b++) p = p << 8 | (b < length ? c[o + 3 + b] & 0xff : 0);
            return p;
        }
    }
}
