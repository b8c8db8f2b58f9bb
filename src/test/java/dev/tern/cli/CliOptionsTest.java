package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class CliOptionsTest {

    /**
     * Every option is settable from a TERN_* variable, and its help text names the variable and default (a
     * renamed option's default is applied in code, after its old name: {@code ${env:TERN_...}} alone).
     */
    @Test
    void everyOptionHasAnEnvironmentVariableAndADocumentedDefault() {
        List<String> problems = new ArrayList<>();
        CommandLine root = Main.newCommandLine();
        for (CommandLine sub : root.getSubcommands().values()) {
            for (OptionSpec o : sub.getCommandSpec().options()) {
                if (o.usageHelp() || o.versionHelp() || o.hidden()) continue; // hidden: an old name, kept working
                String env = envName(o.defaultValueString(false)); // defaultValue() is already interpolated
                String desc = String.join(" ", o.description());
                if (env == null) {
                    problems.add(sub.getCommandName() + " " + o.longestName() + ": default is not ${env:TERN_...:-...}");
                } else if (!desc.contains("env " + env) || !desc.contains("default ")) {
                    problems.add(sub.getCommandName() + " " + o.longestName() + ": description must say 'env " + env + "' and its default");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    /** The README's option table must stay complete: every TERN_* variable a command reads appears in it. */
    @Test
    void readmeListsEveryOption() throws java.io.IOException {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("README.md"));
        List<String> missing = new ArrayList<>();
        for (CommandLine sub : Main.newCommandLine().getSubcommands().values()) {
            for (OptionSpec o : sub.getCommandSpec().options()) {
                String env = envName(o.defaultValueString(false));
                if (env != null && !readme.contains("`" + env + "`")) missing.add(env);
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void helpListsEveryCommand() {
        var out = new java.io.StringWriter();
        HelpCommand.printAll(Main.newCommandLine(), new java.io.PrintWriter(out));
        String text = out.toString();
        for (String name : List.of("serve", "import", "export", "gen", "stats", "version")) {
            assertTrue(text.contains("tern " + name), name);
        }
    }

    private static String envName(String defaultValue) {
        if (defaultValue == null || !defaultValue.startsWith("${env:TERN_")) return null;
        int end = defaultValue.indexOf(":-");
        if (end < 0 && defaultValue.indexOf('}') == defaultValue.length() - 1) end = defaultValue.length() - 1;
        return end < 0 ? null : defaultValue.substring("${env:".length(), end);
    }
}
