package dev.tern.cli;

import static dev.tern.cli.CliConventionsTest.tern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.cli.CliConventionsTest.Run;
import dev.tern.testing.ServeProcess;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mistakes made beside a running relay get one line and exit code 3, never a stack trace: a second serve
 * on its data directory, a serve on its port (which creates no store), an import or stats on its store.
 */
class RunningRelayMistakesTest {
    @TempDir
    Path dir;

    @Test
    void eachMistakeGetsOneLine() throws Exception {
        Path data = dir.resolve("data");
        try (ServeProcess relay = ServeProcess.start(data, dir.resolve("serve.log"))) {
            Path events = dir.resolve("events.jsonl");
            Files.writeString(events, "");

            Run imp = tern("import", "--data-dir", data.toString(), "--memory", "192", events.toString());
            assertEquals(3, imp.exit(), imp.err());
            assertEquals("tern import: the store at " + data.toAbsolutePath() + " is in use by another process; "
                    + "stop the relay, or upload through POST /api/import while it runs", imp.err().strip());

            Run stats = tern("stats", "--data-dir", data.toString(), "--memory", "192");
            assertEquals(3, stats.exit(), stats.err());
            assertTrue(stats.err().strip().endsWith("stop the relay first (while it runs, its GET /api/stats and GET /api/export answer)"));

            Run second = tern("serve", "--data-dir", data.toString(), "--memory", "192", "--port", "0");
            assertEquals(3, second.exit(), second.err());
            assertEquals(1, second.err().strip().lines().count(), second.err());
            assertTrue(second.err().contains("is in use by another process; is another tern serve running on it?"), second.err());

            Path other = dir.resolve("other");
            Run port = tern("serve", "--data-dir", other.toString(), "--memory", "192", "--port", Integer.toString(relay.port));
            assertEquals(3, port.exit(), port.err());
            assertEquals("tern serve: 127.0.0.1:" + relay.port + " is in use (another tern serve or another program); "
                    + "choose another with --port or TERN_PORT", port.err().strip());
            assertFalse(Files.exists(other), "the port is tried before a store is created");

            // NIP-11: software and version, which clients and relay directories read
            String nip11 = HttpClient.newHttpClient().send(HttpRequest.newBuilder(relay.http("/"))
                    .header("Accept", "application/nostr+json").build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(nip11.contains("\"software\":\"tern\""), nip11);
            assertTrue(nip11.matches(".*\"version\":\"[0-9][^\"]*\".*"), nip11);
        }
    }
}
