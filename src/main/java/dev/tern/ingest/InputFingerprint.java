package dev.tern.ingest;

import dev.tern.event.EventJson;
import dev.tern.event.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Identifies an input file for resuming: its absolute path, size, and the SHA-256 of its first MiB, so a
 * replaced or rewritten file is not resumed at an offset that means nothing in it.
 */
public record InputFingerprint(String path, long size, String headSha256) {
    private static final int HEAD = 1 << 20;

    public static InputFingerprint of(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(HEAD);
        }
        return new InputFingerprint(file.toAbsolutePath().normalize().toString(), Files.size(file),
                Hex.encode(EventJson.sha256(head)));
    }

    /** The store meta key of this file's checkpoint. */
    public String checkpointKey() {
        return "import/" + path;
    }

    public boolean sameContentAs(InputFingerprint o) {
        return size == o.size && headSha256.equals(o.headSha256);
    }
}
