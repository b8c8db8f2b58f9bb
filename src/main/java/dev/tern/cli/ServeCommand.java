package dev.tern.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** `tern serve`: not built yet; its issue replaces this. */
@Command(name = "serve", description = "Run the relay (WebSocket + HTTP) on the embedded store.")
final class ServeCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("tern serve: not implemented yet");
        return 2;
    }
}
