package dev.tern.cli;

import dev.tern.store.EventStore;
import dev.tern.store.StoreException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** `tern stats`: event counts, disk size and RocksDB memory of the store, as JSON on stdout. */
@Command(name = "stats", description = "Print store statistics (event counts, disk size, RocksDB memory) as JSON.")
final class StatsCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Mixin
    MemoryOptions memory;

    @Override
    public Integer call() {
        try (EventStore s = store.open(store.storeConfig(memory.budget()), true, StoreOptions.STOP_THE_RELAY)) {
            System.out.println(s.stats().toJson());
            return 0;
        } catch (CliFailure f) {
            throw f;
        } catch (StoreException e) {
            System.err.println("tern stats: " + e.getMessage());
            return 1;
        }
    }
}
