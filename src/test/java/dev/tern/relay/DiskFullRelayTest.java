package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Event;
import dev.tern.event.Hex;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A relay whose data dir (a 16 MB tmpfs) fills up answers every EVENT, the ones it cannot store with
 * OK false and an "error:" reason, instead of leaving the client waiting; it still answers REQs for what
 * it holds. Needs root (mount); skipped otherwise.
 */
class DiskFullRelayTest {
    @TempDir
    Path dir;

    @Test
    void publishingOntoAFullDiskIsRefusedNotHung() throws Exception {
        Path mnt = Files.createDirectory(dir.resolve("small"));
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mnt.toString()) == 0,
                "cannot mount a tmpfs here (needs root)");
        try {
            TestRelay relay = TestRelay.start(mnt.resolve("data"));
            try (TestClient c = new TestClient(relay.ws())) {
                KeyPair keys = KeyPair.generate(new Random());
                Random random = new Random();
                String refusal = null;
                Event stored = null;
                for (int i = 0; i < 1_000 && refusal == null; i++) {
                    byte[] noise = new byte[30_000]; // incompressible, 60,000 hex characters
                    random.nextBytes(noise);
                    Event e = Signer.sign(keys, TestClient.now(), 1, List.of(), Hex.encode(noise));
                    String ok = c.publish(e); // waits at most 15 s: a hang fails here
                    if (ok.contains(",true,")) stored = e;
                    else refusal = ok;
                }
                assertTrue(refusal != null, "16 MB held 1,000 events of 60 KB?");
                assertTrue(refusal.contains(",false,\"error: "), refusal);
                assertTrue(stored != null, "nothing was stored before the disk filled up: " + refusal);
                assertEquals(1, c.req("held", "{\"ids\":[\"" + stored.idHex() + "\"]}").size());
            } finally {
                try {
                    relay.close();
                } catch (RuntimeException flushFailed) {
                    // closing flushes the memtables, which cannot succeed on the full disk
                }
            }
        } finally {
            run("umount", "-l", mnt.toString());
        }
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            assertTrue(p.destroyForcibly().waitFor(1, TimeUnit.MINUTES), "the killed process did not end");
            return -1;
        }
        return p.exitValue();
    }
}
