package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.testing.NodeClients;
import dev.tern.testing.ServeProcess;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nostr-tools, the library most clients are built on, publishes, reads and counts through tern serve. */
class NostrToolsClientTest {
    @Test
    void publishesReadsAndCounts(@TempDir Path dir) throws Exception {
        NodeClients.require();
        try (ServeProcess relay = ServeProcess.start(dir.resolve("data"), dir.resolve("relay.log"))) {
            NodeClients.Result r = NodeClients.run(Duration.ofSeconds(60), "publish-and-read.mjs", relay.ws().toString())
                    .assertSucceeded();
            assertTrue(r.output().startsWith("ok "), r.output());
        }
    }

    /** NIP-50: nostr-tools sends a REQ with `search` and gets the notes best match first. */
    @Test
    void searches(@TempDir Path dir) throws Exception {
        NodeClients.require();
        try (ServeProcess relay = ServeProcess.start(dir.resolve("data"), dir.resolve("relay.log"))) {
            NodeClients.Result r = NodeClients.run(Duration.ofSeconds(60), "search.mjs", relay.ws().toString(),
                    relay.http("/").toString()).assertSucceeded();
            assertTrue(r.output().startsWith("ok 2"), r.output());
        }
    }
}
