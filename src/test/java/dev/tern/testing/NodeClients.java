package dev.tern.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a script of src/test/clients under node, where the real clients that Nostr and Blossom apps use
 * (nostr-tools, blossom-client-sdk, ws) are installed by src/test/clients/setup.sh. Without node or the
 * packages a test is skipped on a developer machine and fails under CI=true, where .ci/run installs them.
 */
public final class NodeClients {
    public static final Path DIR = Path.of("src/test/clients");

    private NodeClients() {}

    /** What a script printed (stdout and stderr together) and how it exited. */
    public record Result(int exitCode, String output) {
        /** Fails the test with the script's output unless it exited 0. */
        public Result assertSucceeded() {
            if (exitCode != 0) fail("node script exited " + exitCode + ":\n" + output);
            return this;
        }
    }

    /** Skips (or, under CI, fails) the calling test when node or the client packages are missing. */
    public static void require() {
        if (onPath("node") && Files.isDirectory(DIR.resolve("node_modules/nostr-tools"))) return;
        String why = "this test needs node and `npm ci` in src/test/clients: run src/test/clients/setup.sh";
        if ("true".equals(System.getenv("CI"))) fail(why);
        Assumptions.abort(why);
    }

    /** Runs {@code node script args...} in src/test/clients; kills it and fails the test after {@code timeout}. */
    public static Result run(Duration timeout, String script, String... args) throws IOException, InterruptedException {
        require();
        List<String> cmd = new ArrayList<>(List.of("node", script));
        cmd.addAll(List.of(args));
        Process node = new ProcessBuilder(cmd).directory(DIR.toFile()).redirectErrorStream(true).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(output unreadable: " + e + ")";
            }
        });
        if (!node.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            node.destroyForcibly();
            node.waitFor(10, TimeUnit.SECONDS);
            fail("node " + script + " did not finish in " + timeout.toSeconds() + " s:\n" + output.getNow(""));
        }
        try {
            return new Result(node.exitValue(), output.get(10, TimeUnit.SECONDS));
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return new Result(node.exitValue(), "(output unreadable: " + e + ")");
        }
    }

    private static boolean onPath(String cmd) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, cmd))) return true;
        }
        return false;
    }
}
