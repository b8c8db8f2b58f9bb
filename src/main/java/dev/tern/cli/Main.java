package dev.tern.cli;

import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/** The `tern` command line: one subcommand per job. */
@Command(name = "tern",
        description = "A Nostr relay with an embedded RocksDB store and a fast, memory-bounded JSONL import.",
        subcommands = {ServeCommand.class, ImportCommand.class, ExportCommand.class, GenCommand.class,
                StatsCommand.class, ReindexCommand.class, SyncCommand.class, BlobsCommand.class, VersionCommand.class,
                HelpCommand.class, AotTrainCommand.class},
        mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        footer = {"", "Run 'tern help' for every option of every command, 'tern help COMMAND' or 'tern COMMAND --help' for one.",
                "", "Read by the launcher and logging (README, \"Configuration\"):",
                "  TERN_LOG_LEVEL     log level, logs to stderr (default INFO)",
                "  TERN_LOG_FORMAT    text, or json for one JSON object per line (default text)",
                "  TERN_JAVA_OPTS     extra JVM options (default empty)",
                "  TERN_AOT           off: serve without the JVM's AOT cache, none trained (default on; JDK 25+)",
                "  TERN_FUZZ_SECONDS  ./tern test: seconds each fuzz target runs (default 30 when CI=true, else 0)"})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** The configured command line (also used by tests and `tern help`). */
    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new Main());
        for (CommandLine sub : cl.getSubcommands().values()) {
            // --help/-h and --version/-V on every command, as picocli and every CLI have them
            sub.getCommandSpec().mixinStandardHelpOptions(true).versionProvider(new VersionCommand.Provider());
        }
        for (Class<?> type : enumOptionTypes(cl)) registerLowerCase(cl, type.asSubclass(Enum.class));
        cl.setUsageHelpWidth(110);
        cl.setParameterExceptionHandler(Main::usageError);
        cl.setExecutionExceptionHandler((e, command, parsed) -> failed(e, command));
        return cl;
    }

    /** A bare `tern`: what it is and its commands, not every option. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A mistyped command or option: the error, picocli's "Did you mean", and where the usage is; not the whole usage. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine c = e.getCommandLine();
        PrintWriter err = c.getErr();
        String name = c.getParent() == null ? "tern" : "tern " + c.getCommandName();
        err.println(name + ": " + e.getMessage());
        List<String> near = e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
                ? nearest(u.getUnmatched().get(0), c) : List.of();
        if (!near.isEmpty()) err.println("Did you mean: " + String.join(" or ", near) + "?");
        err.println("Run '" + name + " --help' for its usage.");
        err.flush();
        return CliFailure.USAGE;
    }

    /** The option (for "-...") or command names within two edits of a mistyped one, nearest first. */
    static List<String> nearest(String typed, CommandLine c) {
        String word = typed.contains("=") ? typed.substring(0, typed.indexOf('=')) : typed;
        Collection<String> names = word.startsWith("-")
                ? c.getCommandSpec().options().stream().flatMap(o -> Arrays.stream(o.names())).toList()
                : c.getSubcommands().keySet();
        return names.stream().filter(n -> n.length() > 2 && editDistance(word, n) <= 2)
                .sorted(Comparator.comparingInt((String n) -> editDistance(word, n)).thenComparing(n -> n))
                .limit(3).toList();
    }

    /** Insertions, deletions, substitutions and swaps of two neighbours ("--prot" is one from "--port"). */
    private static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** What a command threw that is a user's mistake or a taken resource: one line and its exit code. */
    private static int failed(Exception e, CommandLine command) throws Exception {
        CliFailure f = switch (e) {
            case CliFailure c -> c;
            case BindException b -> new CliFailure(CliFailure.IN_USE, "cannot listen: " + b.getMessage()
                    + " (another tern serve or another program has the port; choose another with --port or TERN_PORT)");
            // a mistyped output or input path (`--output out/x.jsonl` before out/ exists)
            case NoSuchFileException n -> new CliFailure(CliFailure.USAGE, "no such file or directory: " + n.getFile());
            case AccessDeniedException a -> new CliFailure(CliFailure.USAGE, "permission denied: " + a.getFile());
            default -> throw e;
        };
        command.getErr().println("tern " + command.getCommandName() + ": " + f.getMessage());
        command.getErr().flush();
        return f.exitCode;
    }

    private static Set<Class<?>> enumOptionTypes(CommandLine root) {
        Set<Class<?>> types = new LinkedHashSet<>();
        for (CommandLine sub : root.getSubcommands().values()) {
            for (OptionSpec o : sub.getCommandSpec().options()) if (o.type().isEnum()) types.add(o.type());
        }
        return types;
    }

    /** Enum values are read in any case and named in lower case, as the docs write them. */
    private static <E extends Enum<E>> void registerLowerCase(CommandLine cl, Class<E> type) {
        E[] values = type.getEnumConstants();
        String names = String.join(", ", Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT)).toList());
        cl.registerConverter(type, s -> {
            for (E v : values) if (v.name().equalsIgnoreCase(s)) return v;
            throw new TypeConversionException("expected one of " + names + " but was '" + s + "'");
        });
    }
}
