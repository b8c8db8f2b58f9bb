package dev.tern.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `tern version`. */
@Command(name = "version", description = "Print tern's version and the Java runtime it runs on.")
final class VersionCommand implements Runnable {
    @Override
    public void run() {
        System.out.println(line());
    }

    /** `tern --version` and `-V` on every command say the same. */
    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {line()};
        }
    }

    static String line() {
        return "tern " + version() + " (Java " + Runtime.version() + ", " + System.getProperty("java.vm.name") + ")";
    }

    static String version() {
        try (InputStream in = VersionCommand.class.getResourceAsStream("/tern.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
