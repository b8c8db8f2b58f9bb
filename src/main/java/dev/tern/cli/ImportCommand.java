package dev.tern.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** `tern import`: not built yet; its issue replaces this. */
@Command(name = "import", description = "Import JSONL files of Nostr events into the store.")
final class ImportCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("tern import: not implemented yet");
        return 2;
    }
}
