package dev.tern.blob;

import dev.tern.event.Hex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;

/**
 * The blob files: {@code ab/cd/<sha256>} under one directory, fanned out so that no directory grows huge. An
 * upload is written to {@code tmp/} while it is hashed and renamed into place only once its hash is known and
 * its metadata is being committed, so a crash, a disconnect or a full disk never leaves a partial or wrong blob
 * under a hash.
 */
public final class BlobFiles {
    private static final String TMP = "tmp";
    private final Path root;
    private final Path tmp;

    public BlobFiles(Path root) {
        this.root = root;
        this.tmp = root.resolve(TMP);
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the blob directory " + tmp + ": " + e.getMessage(), e);
        }
    }

    public Path root() {
        return root;
    }

    /** Where the blob with this lowercase hex hash lives. */
    public Path path(String sha256) {
        return root.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4)).resolve(sha256);
    }

    Path newTemp() throws IOException {
        return Files.createTempFile(tmp, "upload-", ".part");
    }

    /**
     * Moves a verified temp file into place by an atomic rename. If the blob is already there (another upload
     * of the same bytes), the temp file is dropped instead: both hold the same bytes.
     */
    void install(Path temp, String sha256) throws IOException {
        Path dst = path(sha256);
        if (Files.exists(dst)) {
            Files.deleteIfExists(temp);
            return;
        }
        Files.createDirectories(dst.getParent());
        Files.move(temp, dst, StandardCopyOption.ATOMIC_MOVE);
    }

    void remove(String sha256) throws IOException {
        Files.deleteIfExists(path(sha256));
    }

    /** Removes what uploads a crash interrupted left in {@code tmp/}; returns how many files. */
    int clearTemp() throws IOException {
        int n = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tmp)) {
            for (Path p : files) {
                Files.deleteIfExists(p);
                n++;
            }
        }
        return n;
    }

    /** Calls {@code each} with the hash of every blob file, in no particular order. */
    public void forEach(Consumer<String> each) throws IOException {
        try (DirectoryStream<Path> level1 = Files.newDirectoryStream(root, BlobFiles::isFanDir)) {
            for (Path d1 : level1) {
                try (DirectoryStream<Path> level2 = Files.newDirectoryStream(d1, BlobFiles::isFanDir)) {
                    for (Path d2 : level2) {
                        try (DirectoryStream<Path> files = Files.newDirectoryStream(d2)) {
                            for (Path f : files) {
                                String name = f.getFileName().toString();
                                if (Hex.isLowerHex(name, 64)) each.accept(name);
                            }
                        }
                    }
                }
            }
        }
    }

    private static boolean isFanDir(Path p) {
        String name = p.getFileName().toString();
        return name.length() == 2 && Hex.isLowerHex(name, 2) && Files.isDirectory(p);
    }
}
