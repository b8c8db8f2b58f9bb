package dev.tern.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteOptions;

class KeyOrderedBatchTest {
    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Sorting by key must not reorder two operations on one key: the later one wins, as it does unsorted. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void keepsTheOrderOfOperationsOnTheSameKey(boolean keyOrder) throws Exception {
        RocksDB.loadLibrary();
        try (Options o = new Options().setCreateIfMissing(true); RocksDB db = RocksDB.open(o, dir.toString());
             WriteOptions wo = new WriteOptions()) {
            KeyOrderedBatch batch = new KeyOrderedBatch(keyOrder);
            batch.put(db.getDefaultColumnFamily(), b("k2"), b("two"));
            batch.put(db.getDefaultColumnFamily(), b("k1"), b("one"));
            batch.delete(db.getDefaultColumnFamily(), b("k1"));
            batch.delete(db.getDefaultColumnFamily(), b("k3"));
            batch.put(db.getDefaultColumnFamily(), b("k3"), b("three"));
            batch.put(db.getDefaultColumnFamily(), b("k0"), b("first"));
            batch.put(db.getDefaultColumnFamily(), b("k0"), b("second"));
            try (batch) {
                db.write(wo, batch.writeBatch());
            }
            assertNull(db.get(b("k1")));
            assertArrayEquals(b("two"), db.get(b("k2")));
            assertArrayEquals(b("three"), db.get(b("k3")));
            assertArrayEquals(b("second"), db.get(b("k0")));
        }
    }
}
