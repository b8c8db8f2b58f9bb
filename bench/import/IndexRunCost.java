import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.EnvOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.SstFileWriter;
import org.rocksdb.VectorMemTableConfig;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Issue 22, lever 1's ceiling: the cost per key of bringing one index family's keys into a store two ways, on the
 * keys of a real import (read from STORE, replayed in serial order, in chunks of the size one bulk-load flush holds):
 * today's path (WriteBatch puts into a vector memtable, then a flush that sorts it and builds an L0 file) against a
 * sorted run written in Java (sorted, then SstFileWriter), with a comparator sort of the keys and with a sort of a
 * packed 46-bit key prefix whose ties are sorted by comparator. Both build LZ4 files of 4 KB blocks, as the store's
 * index families do. One thread; run it alone (bench/index-runs.sh).
 *
 * <p>Usage: IndexRunCost STORE FAMILY CHUNK_KEYS EVENTS [WORK_DIR]: the keys of the events with serials below EVENTS + 1.
 */
public class IndexRunCost {
    private static final int BATCH = 1000;

    public static void main(String[] args) throws Exception {
        RocksDB.loadLibrary();
        String store = args[0];
        String family = args[1];
        int chunk = Integer.parseInt(args[2]);
        long events = Long.parseLong(args[3]);
        byte[][][] kv = readInSerialOrder(store, family, events);
        byte[][] keys = kv[0];
        byte[][] values = kv[1];
        long bytes = 0;
        for (byte[] k : keys) bytes += k.length;
        System.out.printf("%s: %,d keys of %.1f bytes on average, chunks of %,d keys%n", family, keys.length,
                (double) bytes / keys.length, chunk);
        Path work = Files.createTempDirectory(Path.of(args.length > 4 ? args[4] : "/tmp"), "index-runs-");
        try {
            // the first round warms the JIT and the page cache; the second is the one to read
            for (int round = 1; round <= 2; round++) {
                double memtable = memtablePath(keys, values, chunk, work.resolve("memtable-" + round));
                double[] comparator = runPath(keys, values, chunk, false, work.resolve("runs-" + round));
                double[] packed = runPath(keys, values, chunk, true, work.resolve("packed-" + round));
                System.out.printf("round %d, us per key: memtable + flush %.3f | sorted runs: comparator sort %.3f + "
                                + "SstFileWriter %.3f = %.3f | packed-prefix sort %.3f + SstFileWriter %.3f = %.3f%n", round,
                        memtable, comparator[0], comparator[1], comparator[0] + comparator[1], packed[0], packed[1],
                        packed[0] + packed[1]);
            }
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The family's keys and values of serials 1 to {@code events}, in the order the writer made them: by serial, the key's last 8 bytes. */
    private static byte[][][] readInSerialOrder(String store, String family, long events) throws Exception {
        List<byte[]> names;
        try (Options o = new Options()) {
            names = RocksDB.listColumnFamilies(o, store);
        }
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        for (byte[] n : names) descriptors.add(new ColumnFamilyDescriptor(n));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        try (DBOptions o = new DBOptions(); RocksDB db = RocksDB.openReadOnly(o, store, descriptors, handles)) {
            int at = -1;
            for (int i = 0; i < names.size(); i++) if (new String(names.get(i)).equals(family)) at = i;
            if (at < 0) throw new IllegalArgumentException("no column family " + family + " in " + store);
            try (RocksIterator it = db.newIterator(handles.get(at))) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    byte[] key = it.key();
                    if (serial(key) > events) continue;
                    keys.add(key);
                    values.add(it.value());
                }
            }
            handles.forEach(ColumnFamilyHandle::close);
        }
        Integer[] order = new Integer[keys.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingLong(i -> serial(keys.get(i))));
        int n = order.length;
        byte[][] k = new byte[n][];
        byte[][] v = new byte[n][];
        for (int i = 0; i < n; i++) {
            k[i] = keys.get(order[i]);
            v[i] = values.get(order[i]);
        }
        return new byte[][][] {k, v};
    }

    private static long serial(byte[] key) {
        long s = 0;
        for (int i = key.length - 8; i < key.length; i++) s = s << 8 | (key[i] & 0xff);
        return s;
    }

    private static BlockBasedTableConfig table() {
        return new BlockBasedTableConfig().setBlockSize(4 * 1024).setFormatVersion(5);
    }

    /** Today's path: batches of {@value #BATCH} puts into a vector memtable without a WAL, a flush per chunk. */
    private static double memtablePath(byte[][] keys, byte[][] values, int chunk, Path dir) throws Exception {
        long start = System.nanoTime();
        try (Options o = new Options().setCreateIfMissing(true).setTableFormatConfig(table())
                .setCompressionType(CompressionType.LZ4_COMPRESSION).setMemTableConfig(new VectorMemTableConfig())
                .setAllowConcurrentMemtableWrite(false).setDisableAutoCompactions(true).setWriteBufferSize(1L << 30)
                .setLevel0SlowdownWritesTrigger(1 << 30).setLevel0StopWritesTrigger(1 << 30);
             WriteOptions noWal = new WriteOptions().setDisableWAL(true);
             FlushOptions flush = new FlushOptions().setWaitForFlush(true);
             RocksDB db = RocksDB.open(o, dir.toString())) {
            for (int from = 0; from < keys.length; from += chunk) {
                int end = Math.min(keys.length, from + chunk);
                for (int b = from; b < end; b += BATCH) {
                    try (WriteBatch batch = new WriteBatch()) {
                        for (int i = b; i < Math.min(end, b + BATCH); i++) batch.put(keys[i], values[i]);
                        db.write(noWal, batch);
                    }
                }
                db.flush(flush);
            }
        }
        return (System.nanoTime() - start) / 1e3 / keys.length;
    }

    /** A sorted run per chunk, written with SstFileWriter; returns the sort's and the writing's microseconds per key. */
    private static double[] runPath(byte[][] keys, byte[][] values, int chunk, boolean packed, Path dir) throws Exception {
        Files.createDirectories(dir);
        long sortNs = 0;
        long writeNs = 0;
        try (Options o = new Options().setTableFormatConfig(table()).setCompressionType(CompressionType.LZ4_COMPRESSION);
             EnvOptions env = new EnvOptions()) {
            for (int from = 0, run = 0; from < keys.length; from += chunk, run++) {
                int len = Math.min(chunk, keys.length - from);
                long t0 = System.nanoTime();
                int[] order = packed ? packedSort(keys, from, len) : comparatorSort(keys, from, len);
                long t1 = System.nanoTime();
                try (SstFileWriter writer = new SstFileWriter(env, o)) {
                    writer.open(dir.resolve("run-" + run + ".sst").toString());
                    for (int i : order) writer.put(keys[from + i], values[from + i]);
                    writer.finish();
                }
                sortNs += t1 - t0;
                writeNs += System.nanoTime() - t1;
            }
        }
        return new double[] {sortNs / 1e3 / keys.length, writeNs / 1e3 / keys.length};
    }

    private static int[] comparatorSort(byte[][] keys, int from, int len) {
        Integer[] order = new Integer[len];
        for (int i = 0; i < len; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(keys[from + a], keys[from + b]));
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }

    /**
     * The keys' first 46 bits and their position packed into one long, sorted as primitives; each run of equal
     * prefixes (one popular tag value) is then sorted by comparator. A chunk holds at most 2^18 keys.
     */
    private static int[] packedSort(byte[][] keys, int from, int len) {
        if (len > 1 << 18) throw new IllegalArgumentException("a chunk holds at most 262144 keys for the packed sort");
        long[] packed = new long[len];
        for (int i = 0; i < len; i++) {
            byte[] key = keys[from + i];
            long prefix = 0;
            for (int b = 0; b < 6; b++) prefix = prefix << 8 | (b < key.length ? key[b] & 0xff : 0);
            packed[i] = (prefix >>> 2) << 18 | i;
        }
        Arrays.sort(packed);
        int[] order = new int[len];
        for (int i = 0; i < len; ) {
            int j = i + 1;
            while (j < len && packed[j] >>> 18 == packed[i] >>> 18) j++;
            Integer[] ties = new Integer[j - i];
            for (int x = i; x < j; x++) ties[x - i] = (int) (packed[x] & 0x3ffff);
            if (ties.length > 1) Arrays.sort(ties, (a, b) -> Arrays.compareUnsigned(keys[from + a], keys[from + b]));
            for (int x = i; x < j; x++) order[x] = ties[x - i];
            i = j;
        }
        return order; // SstFileWriter refuses keys out of order, so a wrong sort fails the run
    }
}
