package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.blob.BlobFiles;
import dev.tern.event.Hex;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `tern blobs verify` re-hashes every blob and names the damaged one, exiting 1. */
class BlobsCommandTest {
    @TempDir
    Path dir;

    static String put(BlobFiles files, byte[] content) throws Exception {
        String sha = Hex.encode(MessageDigest.getInstance("SHA-256").digest(content));
        Path p = files.path(sha);
        Files.createDirectories(p.getParent());
        Files.write(p, content);
        return sha;
    }

    @Test
    void namesTheDamagedBlob() throws Exception {
        BlobFiles files = new BlobFiles(dir.resolve("data").resolve("blobs"));
        put(files, "a good blob".getBytes(StandardCharsets.UTF_8));
        String bad = put(files, "a blob about to rot".getBytes(StandardCharsets.UTF_8));
        assertEquals(0, run().exit, "all whole");
        Files.write(files.path(bad), "a blob about to rut".getBytes(StandardCharsets.UTF_8));
        Run r = run();
        assertEquals(1, r.exit);
        assertTrue(r.out.contains("damaged " + bad) && r.out.contains("2 blobs, 30 bytes verified, 1 damaged"), r.out);
    }

    record Run(int exit, String out) {}

    Run run() {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int exit = Main.newCommandLine().execute("blobs", "verify", "--data-dir", dir.resolve("data").toString());
            return new Run(exit, out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(saved);
        }
    }
}
