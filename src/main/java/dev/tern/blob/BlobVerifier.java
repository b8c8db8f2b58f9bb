package dev.tern.blob;

import dev.tern.event.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Re-hashes every blob file and names those whose bytes no longer hash to their name (disk damage, a hand
 * edit). Reads the files only, so it may run beside a serving relay.
 */
public final class BlobVerifier {
    /** A file whose content hashes to {@code actual}, not to the hash it is stored under. */
    public record Damaged(String sha256, String actual, Path path) {}

    /** What a run found. */
    public record Result(long blobs, long bytes, List<Damaged> damaged) {}

    private BlobVerifier() {}

    public static Result verify(Path blobDir) throws IOException {
        BlobFiles files = new BlobFiles(blobDir);
        List<String> hashes = new ArrayList<>();
        files.forEach(hashes::add);
        List<Damaged> damaged = new ArrayList<>();
        long bytes = 0;
        byte[] buf = new byte[BlobIntake.BUFFER_BYTES];
        for (String sha : hashes) {
            Path p = files.path(sha);
            MessageDigest md = sha256();
            try (InputStream in = Files.newInputStream(p)) {
                for (int n; (n = in.read(buf)) > 0; bytes += n) md.update(buf, 0, n);
            }
            String actual = Hex.encode(md.digest());
            if (!actual.equals(sha)) damaged.add(new Damaged(sha, actual, p));
        }
        return new Result(hashes.size(), bytes, damaged);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
