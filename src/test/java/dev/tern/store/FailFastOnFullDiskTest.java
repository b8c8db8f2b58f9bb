package dev.tern.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rocksdb.BackgroundErrorReason;
import org.rocksdb.RocksDB;
import org.rocksdb.Status;

/** Only a full disk turns RocksDB's automatic recovery off (DiskFullTest covers the import end to end). */
class FailFastOnFullDiskTest {
    @Test
    void noAutomaticRecoveryFromAFullDiskOnly() {
        RocksDB.loadLibrary();
        try (FailFastOnFullDisk listener = new FailFastOnFullDisk()) {
            assertFalse(listener.onErrorRecoveryBegin(BackgroundErrorReason.FLUSH,
                    new Status(Status.Code.IOError, Status.SubCode.NoSpace, "No space left on device")));
            assertTrue(listener.onErrorRecoveryBegin(BackgroundErrorReason.FLUSH,
                    new Status(Status.Code.IOError, Status.SubCode.None, "Input/output error")));
        }
    }
}
