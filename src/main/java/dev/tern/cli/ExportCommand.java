package dev.tern.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** `tern export`: not built yet; its issue replaces this. */
@Command(name = "export", description = "Export stored events as JSONL.")
final class ExportCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("tern export: not implemented yet");
        return 2;
    }
}
