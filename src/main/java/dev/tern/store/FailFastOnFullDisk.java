package dev.tern.store;

import org.rocksdb.AbstractEventListener;
import org.rocksdb.BackgroundErrorReason;
import org.rocksdb.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns off RocksDB's automatic recovery from a full disk. With it on, a flush that hits ENOSPC leaves the
 * database waiting for free space (polled every few seconds, forever) while every write blocks behind the
 * full memtables: `tern import` hung instead of failing, and a relay would never answer an EVENT. With it
 * off, writes fail with "No space left on device", which the import reports (exit 1, checkpoint kept for
 * --resume) and the relay answers with OK false; a restart with free space recovers the store.
 */
final class FailFastOnFullDisk extends AbstractEventListener {
    private static final Logger log = LoggerFactory.getLogger(FailFastOnFullDisk.class);

    FailFastOnFullDisk() {
        super(EnabledEventCallback.ON_ERROR_RECOVERY_BEGIN);
    }

    @Override
    public boolean onErrorRecoveryBegin(BackgroundErrorReason reason, Status error) {
        if (error != null && error.getSubCode() == Status.SubCode.NoSpace) {
            log.error("the disk is full ({}: {}); writes fail until tern is restarted with free space", reason, error.getState());
            return false;
        }
        return true;
    }
}
