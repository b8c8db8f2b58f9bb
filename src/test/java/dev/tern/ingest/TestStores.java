package dev.tern.ingest;

import dev.tern.store.EventStore;
import dev.tern.store.StoreConfig;
import java.nio.file.Path;

/** Small real stores for tests. */
final class TestStores {
    private TestStores() {}

    static EventStore open(Path dir, boolean bulkLoad) {
        return EventStore.open(StoreConfig.forBudget(dir, 192).withBulkLoad(bulkLoad));
    }
}
