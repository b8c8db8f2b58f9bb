package dev.tern.cli;

import java.io.PrintStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `tern help`: every subcommand with every option, its TERN_* variable and its default. */
@Command(name = "help", description = "Show every command and option with its TERN_* environment variable and default.")
final class HelpCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        printAll(spec.root().commandLine(), System.out);
    }

    static void printAll(CommandLine root, PrintStream out) {
        out.print(root.getUsageMessage());
        out.println();
        out.println("Every option can also be set by the environment variable named beside it; a flag overrides it.");
        for (CommandLine sub : root.getSubcommands().values()) {
            if (sub.getCommandName().equals("help")) continue;
            out.println();
            out.println("----- tern " + sub.getCommandName() + " -----");
            out.print(sub.getUsageMessage());
        }
    }
}
