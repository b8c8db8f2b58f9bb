package dev.tern.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * `tern serve` in a child JVM on a random loopback port, for tests of what only the whole command wires
 * up or of what a kill does. Closing it stops it with SIGTERM (SIGKILL if it does not end in 30 s).
 */
public final class ServeProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)\\)");

    private final Process process;
    public final int port;
    private final List<String> jvm;
    private final Map<String, String> env;
    private final Path data;
    private final String[] options;

    private ServeProcess(Process process, int port, List<String> jvm, Map<String, String> env, Path data, String[] options) {
        this.process = process;
        this.port = port;
        this.jvm = jvm;
        this.env = env;
        this.data = data;
        this.options = options;
    }

    /** Starts `tern serve --data-dir data` with a 256 MB budget plus {@code options}; its stderr goes to {@code log}. */
    public static ServeProcess start(Path data, Path log, String... options) throws IOException {
        return start(List.of("-Xmx256m"), Map.of(), data, log, 0, options);
    }

    /** Like {@link #start}, on a given port (0: a random one), e.g. one another relay was told to mirror. */
    public static ServeProcess startOnPort(int port, Path data, Path log, String... options) throws IOException {
        return start(List.of("-Xmx256m"), Map.of(), data, log, port, options);
    }

    /** The same relay started again on its port, after {@link #close} or {@link #kill}; its stderr goes to {@code log}. */
    public ServeProcess restart(Path log) throws IOException {
        return start(jvm, env, data, log, port, options);
    }

    /**
     * Like {@link #start}, but with the JVM flags and environment the `tern` launcher uses for `serve` at a 256 MB
     * budget (asked of the launcher itself, plus its two malloc arenas), for tests of what the process's RSS does
     * within its budget.
     */
    public static ServeProcess startAsLauncher(Path data, Path log, String... options) throws IOException {
        return start(launcherFlags(), Map.of("MALLOC_ARENA_MAX", "2"), data, log, 0, options);
    }

    /** What `./tern jvm-flags serve --memory 256` prints, for this JVM's JDK: the launcher's own flags, not a copy. */
    private static List<String> launcherFlags() throws IOException {
        ProcessBuilder pb = new ProcessBuilder("./tern", "jvm-flags", "serve", "--memory", "256").redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (p.waitFor() != 0) throw new IOException("./tern jvm-flags failed: " + out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return List.of(out.split("\\s+"));
    }

    private static ServeProcess start(List<String> jvm, Map<String, String> env, Path data, Path log, int port,
                                      String... options) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvm);
        cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.tern.cli.Main", "serve", "--data-dir", data.toString(), "--listen", "127.0.0.1", "--port", Integer.toString(port),
                "--memory", "256"));
        cmd.addAll(List.of(options));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            return new ServeProcess(p, port(p), jvm, env, data, options);
        } catch (IOException | RuntimeException | Error e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /** Reads the child's stdout up to the line naming its port. */
    private static int port(Process relay) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(relay.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = out.readLine()) != null; ) {
            seen.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (m.find()) return Integer.parseInt(m.group(1));
        }
        throw new AssertionError("the relay stopped before it listened: " + seen);
    }

    public URI ws() {
        return URI.create("ws://127.0.0.1:" + port + "/");
    }

    public URI http(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** SIGKILL, without waiting. */
    public void kill() {
        process.destroyForcibly();
    }

    /** The process's exit status, once {@link #close} has ended it. */
    public int exitValue() {
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException("tern serve (pid " + process.pid() + ") did not end");
    }
}
