package dev.tern.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** `tern gen`: not built yet; its issue replaces this. */
@Command(name = "gen", description = "Generate a deterministic file of signed test events.")
final class GenCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("tern gen: not implemented yet");
        return 2;
    }
}
