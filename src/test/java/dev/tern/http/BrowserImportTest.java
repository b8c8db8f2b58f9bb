package dev.tern.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tern.cli.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator page in a real browser: `tern serve` runs as its own process on a free loopback port
 * with a fresh data dir, and src/test/browser/import-page.mjs drives Debian's Chromium through
 * playwright-core: an import started through the API shows on the page with its progress and counts in
 * "events/s in", the charts draw, a `tern gen` file with bad lines uploaded through the page is followed
 * to complete with its report, the export button downloads everything, and at 1400 and 420 px the page
 * has no sideways scroll and the export fields stay inside their card (screenshots of both widths in
 * target/browser/). Needs /usr/bin/chromium, node and
 * `npm ci` in src/test/browser (src/test/browser/setup.sh); skipped without them, except under CI=true
 * where .ci/run installs them and a missing piece fails the build.
 */
class BrowserImportTest {
    private static final Path BROWSER_DIR = Path.of("src/test/browser");
    private static final int EVENTS = 1500;
    private static final int BAD_LINES = 14;
    /** The import started through the API: large enough that a slow upload of it spans several polls. */
    private static final int API_EVENTS = 3000;

    @Test
    void importThroughThePage(@TempDir Path tmp) throws Exception {
        requireBrowserSetup();
        Path dump = tmp.resolve("dump.jsonl.gz");
        assertEquals(0, Main.newCommandLine().execute("gen", "--events", String.valueOf(EVENTS), "--bad",
                String.valueOf(BAD_LINES), "--threads", "2", "-o", dump.toString()));
        Path apiDump = tmp.resolve("api.jsonl");
        assertEquals(0, Main.newCommandLine().execute("gen", "--events", String.valueOf(API_EVENTS), "--seed", "2",
                "--threads", "2", "-o", apiDump.toString()));
        int port = freePort();
        // a mirrored peer that is down (a closed loopback port): the page lists it with its link and last error
        String peer = "ws://127.0.0.1:" + freePort() + "/";
        Process server = startServer(tmp.resolve("data"), port, peer);
        try {
            awaitStartLine(server);
            Path shots = Path.of("target/browser/page").toAbsolutePath();
            Files.createDirectories(shots.getParent());
            Process node = new ProcessBuilder("node", "import-page.mjs", "http://127.0.0.1:" + port + "/",
                    dump.toString(), String.valueOf(EVENTS), String.valueOf(BAD_LINES), apiDump.toString(),
                    String.valueOf(API_EVENTS), shots.toString(), peer)
                    .directory(BROWSER_DIR.toFile()).redirectErrorStream(true).start();
            CompletableFuture<String> output = readAll(node);
            if (!node.waitFor(180, TimeUnit.SECONDS)) {
                node.destroyForcibly();
                fail("the browser test did not finish in 180 s:\n" + output.getNow(""));
            }
            String out = output.get(10, TimeUnit.SECONDS);
            System.out.println(out);
            assertEquals(0, node.exitValue(), out);
            for (int width : new int[] {1400, 420}) {
                assertTrue(Files.size(Path.of(shots + "-" + width + ".png")) > 10_000, "screenshot at " + width + " px saved");
            }
        } finally {
            server.destroy(); // SIGTERM: the relay shuts down cleanly
            if (!server.waitFor(30, TimeUnit.SECONDS)) server.destroyForcibly();
        }
    }

    private static void requireBrowserSetup() {
        boolean ready = Files.isExecutable(Path.of("/usr/bin/chromium"))
                && Files.isDirectory(BROWSER_DIR.resolve("node_modules/playwright-core")) && onPath("node");
        if (ready) return;
        String why = "browser test needs /usr/bin/chromium, node and `npm ci` in src/test/browser: run src/test/browser/setup.sh";
        if ("true".equals(System.getenv("CI"))) fail(why);
        Assumptions.abort(why);
    }

    private static boolean onPath(String cmd) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, cmd))) return true;
        }
        return false;
    }

    /** The relay in its own JVM, from this test's classpath (the jar is built after the tests). */
    private static Process startServer(Path dataDir, int port, String mirrorPeer) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve",
                "--port", String.valueOf(port), "--listen", "127.0.0.1", "--data-dir", dataDir.toString(), "--memory", "256",
                "--mirror", mirrorPeer + " down");
        pb.environment().put("TERN_LOG_LEVEL", "WARN");
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        return pb.start();
    }

    /** Waits for serve's "operator page at" line: the port is bound and the routes are in place. */
    private static void awaitStartLine(Process server) throws Exception {
        CompletableFuture<Void> ready = CompletableFuture.runAsync(() -> {
            try {
                BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
                for (String line; (line = r.readLine()) != null; ) {
                    System.out.println("[serve] " + line);
                    if (line.startsWith("operator page at")) return;
                }
                throw new IllegalStateException("tern serve exited before it listened");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        ready.get(60, TimeUnit.SECONDS);
    }

    private static CompletableFuture<String> readAll(Process p) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(output unreadable: " + e + ")";
            }
        });
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

}
