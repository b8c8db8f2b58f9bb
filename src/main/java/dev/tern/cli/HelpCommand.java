package dev.tern.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `tern help`: every subcommand with every option, its TERN_* variable and its default; `tern help CMD`: one command. */
@Command(name = "help", description = "Show every command and option with its TERN_* environment variable and default, "
        + "or one command's.")
final class HelpCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(paramLabel = "COMMAND", arity = "0..1", description = "The command to show; none = all.")
    String command;

    @Override
    public void run() {
        CommandLine root = spec.root().commandLine();
        PrintWriter out = spec.commandLine().getOut();
        if (command == null) {
            printAll(root, out);
            return;
        }
        CommandLine sub = root.getSubcommands().get(command);
        if (sub == null) {
            throw new CliFailure(CliFailure.USAGE, "no command '" + command + "'; the commands are "
                    + String.join(", ", root.getSubcommands().keySet()));
        }
        sub.usage(out);
    }

    static void printAll(CommandLine root, PrintWriter out) {
        out.print(root.getUsageMessage());
        out.println();
        out.println("Every option can also be set by the environment variable named beside it; a flag overrides it.");
        for (CommandLine sub : root.getSubcommands().values()) {
            if (sub.getCommandName().equals("help") || sub.getCommandSpec().usageMessage().hidden()) continue;
            out.println();
            out.println("----- tern " + sub.getCommandName() + " -----");
            out.print(sub.getUsageMessage());
        }
        out.flush();
    }
}
