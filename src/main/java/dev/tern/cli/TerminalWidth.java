package dev.tern.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Whether stderr is a terminal, and how wide. Java's Console answers for stdin and stdout only, so a redirected
 * stdout would hide the terminal, and a redirected stderr would get escape codes; Linux names what fd 2 is.
 */
final class TerminalWidth {
    private static final int DEFAULT_COLUMNS = 80;

    private TerminalWidth() {}

    /** The terminal's columns when stderr is one, else 0. */
    static int ofStderr() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            if (!target.startsWith("/dev/pts/") && !target.startsWith("/dev/tty")) return 0;
            return columns(target);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return 0; // not Linux, or not a terminal: plain lines are safe everywhere
        }
    }

    /** `stty size` of the terminal (rows and columns), or 80 columns if it does not answer. */
    private static int columns(String tty) {
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(new File(tty))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (!p.waitFor(2, TimeUnit.SECONDS) || p.exitValue() != 0) return DEFAULT_COLUMNS;
            int cols = Integer.parseInt(out.substring(out.indexOf(' ') + 1));
            return cols >= 20 ? cols : DEFAULT_COLUMNS;
        } catch (IOException | RuntimeException e) {
            return DEFAULT_COLUMNS;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DEFAULT_COLUMNS;
        }
    }
}
