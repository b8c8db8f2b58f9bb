package dev.tern.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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
 * and when the buffer is full {@link #ingest} sorts each index family's keys, writes them to a table file with
 * {@link SstFileWriter} (the family's own options) and ingests it into the family, moving the file. A flush's
 * sort of a vector memtable cost more (BENCHMARKS.md, issue 22's lever 1).
 *
 * <p>Crash safety: an ingestion first flushes every family, so the events of every ingested key are durable
 * before it, and then records {@link MetaKeys#INDEXED_THROUGH}; a durable event past that serial may lack its
 * index keys, and {@link EventStore} builds them again from the events family when the store next opens. A
 * checkpoint stays in the batch of its events: holding checkpoints back to the ingestions would not do, since
 * events flushed before their checkpoint count as duplicates on resume and would never get their keys.
 *
 * <p>Writer thread only. Bounded: {@code budgetBytes} of keys, values and references on the heap, and at most
 * {@value #MAX_KEYS} keys a family, so the packed sort keeps 45 bits of each key.
 */
final class IndexRuns implements AutoCloseable {
    static final int MAX_KEYS = 1 << 18;
    /** What a buffered key costs besides its bytes: the key array's header and two references. */
    private static final int KEY_OVERHEAD = 24;
    private static final String DIRECTORY = "index-runs";

    private final RocksDB db;
    private final Families cf;
    private final Path dir;
    private final long budgetBytes;
    private final Map<Index, Run> runs = new EnumMap<>(Index.class);
    private final Map<Index, Options> options = new EnumMap<>(Index.class);
    private final EnvOptions env = new EnvOptions();
    private final IngestExternalFileOptions move = new IngestExternalFileOptions().setMoveFiles(true);
    private final FlushOptions flush = new FlushOptions().setWaitForFlush(true);
    private long bytes;
    private long files;

    /** {@code families} maps each index to the options its column family was opened with. */
    IndexRuns(RocksDB db, Families cf, Path dataDir, long budgetBytes, DBOptions dbOptions,
              Map<Index, ColumnFamilyOptions> families) throws IOException {
        this.db = db;
        this.cf = cf;
        this.budgetBytes = budgetBytes;
        dir = dataDir.resolve(DIRECTORY);
        removeLeftFiles(dataDir);
        Files.createDirectories(dir);
        for (Index index : Index.values()) {
            runs.put(index, new Run());
            options.put(index, new Options(dbOptions, families.get(index)));
        }
    }

    /** Files a crashed load wrote and did not ingest. */
    static void removeLeftFiles(Path dataDir) throws IOException {
        Path d = dataDir.resolve(DIRECTORY);
        if (Files.isDirectory(d)) Directories.deleteTree(d);
    }

    void add(List<IndexEntry> entries) {
        for (IndexEntry e : entries) {
            runs.get(e.index()).add(e.key(), e.value());
            bytes += e.key().length + e.value().length + KEY_OVERHEAD;
        }
    }

    boolean full() {
        if (bytes >= budgetBytes) return true;
        for (Run r : runs.values()) if (r.n >= MAX_KEYS) return true;
        return false;
    }

    /**
     * Ingests every buffered key, {@code through} being the serial after the last event they come from: flushes
     * every family (their events become durable), ingests one file per index family, then records the serial
     * (durable with the next flush; until then a crash only makes the next open rebuild more).
     */
    void ingest(long through, WriteOptions writeOptions) throws RocksDBException {
        if (bytes == 0) return;
        db.flush(flush, cf.all());
        for (Index index : Index.values()) {
            Run r = runs.get(index);
            if (r.n == 0) continue;
            String file = dir.resolve(index.family + "-" + files++ + ".sst").toString();
            try (SstFileWriter w = new SstFileWriter(env, options.get(index))) {
                w.open(file);
                byte[] last = null;
                for (int i : r.sortedOrder()) {
                    byte[] key = r.keys[i];
                    // a tag repeated in one event gives its key twice
                    if (last != null && Arrays.equals(last, key)) continue;
                    w.put(key, r.values[i]);
                    last = key;
                }
                w.finish();
            }
            db.ingestExternalFile(cf.index(index), List.of(file), move);
            r.clear();
        }
        bytes = 0;
        db.put(cf.meta(), writeOptions, MetaKeys.INDEXED_THROUGH, Keys.longValue(through));
    }

    @Override
    public void close() {
        options.values().forEach(Options::close);
        env.close();
        move.close();
        flush.close();
    }

    /** One family's buffered keys and values, in arrival order. */
    private static final class Run {
        byte[][] keys = new byte[1024][];
        byte[][] values = new byte[1024][];
        int n;

        void add(byte[] key, byte[] value) {
            if (n == keys.length) {
                keys = Arrays.copyOf(keys, n * 2);
                values = Arrays.copyOf(values, n * 2);
            }
            keys[n] = key;
            values[n] = value;
            n++;
        }

        void clear() {
            keys = new byte[1024][];
            values = new byte[1024][];
            n = 0;
        }

        /**
         * The positions in key order: each key's first bits and its position packed into one long and sorted as
         * primitives, then each run of equal prefixes (one popular tag value) by comparing the keys.
         */
        int[] sortedOrder() {
            int positionBits = Math.max(1, 64 - Long.numberOfLeadingZeros(n - 1L));
            int prefixBits = 63 - positionBits;
            long positionMask = (1L << positionBits) - 1;
            long[] packed = new long[n];
            for (int i = 0; i < n; i++) packed[i] = (prefix(keys[i]) >>> (64 - prefixBits)) << positionBits | i;
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
                    ties.sort((a, b) -> Arrays.compareUnsigned(keys[a], keys[b]));
                    for (int x = i; x < j; x++) order[x] = ties.get(x - i);
                }
                i = j;
            }
            return order; // SstFileWriter refuses keys out of order, so a wrong sort fails the load
        }

        /** The key's first 8 bytes, zero-padded, as an unsigned-ordered long's bits. */
        private static long prefix(byte[] key) {
            long p = 0;
            for (int b = 0; b < 8; b++) p = p << 8 | (b < key.length ? key[b] & 0xff : 0);
            return p;
        }
    }
}
