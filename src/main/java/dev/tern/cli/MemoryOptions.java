package dev.tern.cli;

import dev.tern.config.MemoryBudget;
import picocli.CommandLine.Option;

/** The one memory budget every command that opens the store shares. */
final class MemoryOptions {
    @Option(names = "--memory", paramLabel = "MB", defaultValue = "${env:TERN_MEMORY_MB:-512}",
            description = "Memory budget for the whole process in MB; heap, RocksDB cache and queues are derived from it "
                    + "(env TERN_MEMORY_MB, default 512).")
    int memoryMb;

    MemoryBudget budget() {
        return new MemoryBudget(memoryMb);
    }
}
