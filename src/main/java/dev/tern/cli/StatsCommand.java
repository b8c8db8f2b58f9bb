package dev.tern.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** `tern stats`: not built yet; its issue replaces this. */
@Command(name = "stats", description = "Print store statistics.")
final class StatsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("tern stats: not implemented yet");
        return 2;
    }
}
