package dev.tern.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `tern` command line: one subcommand per job. */
@Command(name = "tern",
        description = "A Nostr relay with an embedded RocksDB store and a fast, memory-bounded JSONL import.",
        subcommands = {ServeCommand.class, ImportCommand.class, ExportCommand.class, GenCommand.class,
                StatsCommand.class, ReindexCommand.class, SyncCommand.class, BlobsCommand.class, VersionCommand.class,
                HelpCommand.class},
        mixinStandardHelpOptions = false)
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** The configured command line (also used by tests and `tern help`). */
    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setUsageHelpWidth(110);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }

    @Override
    public void run() {
        HelpCommand.printAll(spec.commandLine(), System.out);
    }
}
