package dev.tern.store;

/** A read holding a snapshot (a cursor, a {@link StoreSnapshot}): the store closes those still open before RocksDB. */
interface OpenRead {
    void close();
}
