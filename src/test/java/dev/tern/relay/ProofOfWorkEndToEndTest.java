package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Hex;
import dev.tern.event.KeyPair;
import dev.tern.testing.NodeClients;
import dev.tern.testing.ServeProcess;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NIP-13 through tern serve --min-pow with nostr-tools' nip13 miner: advertised, enforced, owners exempt. */
class ProofOfWorkEndToEndTest {
    @Test
    void nostrToolsMinesPastTheMinimumAndTheOwnerIsExempt(@TempDir Path dir) throws Exception {
        NodeClients.require();
        KeyPair owner = KeyPair.generate();
        try (ServeProcess relay = ServeProcess.start(dir.resolve("data"), dir.resolve("relay.log"),
                "--min-pow", "12", "--owners", owner.publicKeyHex())) {
            NodeClients.Result r = NodeClients.run(Duration.ofSeconds(90), "proof-of-work.mjs", relay.ws().toString(),
                    Hex.encode(owner.secretKey())).assertSucceeded();
            assertTrue(r.output().startsWith("ok "), r.output());
        }
    }
}
