package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** picocli's and every CLI's conventions: help and version flags everywhere, short answers to mistakes, documented exit codes. */
class CliConventionsTest {
    @TempDir
    Path dir;

    /** One run of the real command line in this process: its exit code, stdout and stderr. */
    record Run(int exit, String out, String err) {
        long lines() {
            return (out + err).lines().count();
        }
    }

    static Run tern(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = Main.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void helpAndVersionOnTheRootAndEveryCommand() {
        for (String flag : new String[] {"--help", "-h"}) {
            Run r = tern(flag);
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().contains("serve") && r.out().contains("import"), r.out());
            for (String command : Main.newCommandLine().getSubcommands().keySet()) {
                Run c = tern(command, flag);
                assertEquals(0, c.exit(), command + ": " + c.err());
                assertTrue(c.out().startsWith("Usage: tern " + command), command + ": " + c.out());
            }
        }
        for (String flag : new String[] {"--version", "-V"}) {
            Run r = tern(flag);
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().startsWith("tern "), r.out());
            assertEquals(r.out(), tern("serve", flag).out());
        }
    }

    @Test
    void helpForOneCommand() {
        Run r = tern("help", "serve");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("Usage: tern serve") && r.out().contains("--port"), r.out());
        assertFalse(r.out().contains("Usage: tern import"), "only serve's usage");
        Run bad = tern("help", "serv");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("no command 'serv'"), bad.err());
    }

    @Test
    void bareTernIsShort() {
        Run r = tern();
        assertEquals(0, r.exit());
        assertTrue(r.lines() < 40, r.lines() + " lines:\n" + r.out());
        assertTrue(r.out().contains("tern help"), r.out());
    }

    @Test
    void aTypoGetsOneErrorAndASuggestionNotTheUsage() {
        Run r = tern("serve", "--prot=3000");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("tern serve: Unknown option"), r.err());
        assertTrue(r.err().contains("Did you mean") && r.err().contains("--port"), r.err());
        assertTrue(r.lines() < 8, r.err());
        Run command = tern("serv");
        assertEquals(2, command.exit());
        assertTrue(command.err().contains("Did you mean") && command.err().contains("serve"), command.err());
    }

    @Test
    void enumValuesAreNamedAsTheDocsWriteThem() {
        Run r = tern("serve", "--acl-mode", "friends");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("none, follows, managed"), r.err());
        assertFalse(r.err().contains("NONE"), r.err());
    }

    @Test
    void negativeCountsAreUsageErrors() {
        Run r = tern("gen", "--events", "-5");
        assertEquals(2, r.exit());
        assertEquals("tern gen: --events, --bad and --threads must not be negative", r.err().strip());
    }

    @Test
    void readOnlyCommandsDoNotCreateAStore() {
        Path missing = dir.resolve("mistyped");
        for (String command : new String[] {"stats", "export"}) {
            Run r = tern(command, "--data-dir", missing.toString(), "--memory", "192");
            assertEquals(2, r.exit(), command + ": " + r.err());
            assertEquals("tern " + command + ": no store at " + missing + " (check --data-dir or TERN_DATA_DIR)", r.err().strip());
            assertFalse(Files.exists(missing), command + " created " + missing);
        }
    }

    @Test
    void aMissingOutputDirectoryIsOneLine() {
        Path out = dir.resolve("no-such-dir").resolve("events.jsonl");
        Run r = tern("gen", "--events", "1", "--output", out.toString());
        assertEquals(2, r.exit(), r.err());
        assertEquals("tern gen: no such file or directory: " + out, r.err().strip());
    }
}
