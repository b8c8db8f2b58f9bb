package dev.tern.cli;

import dev.tern.blob.BlobVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `tern blobs verify`: re-hashes every Blossom blob and names the damaged ones (exit 1 if any). */
@Command(name = "blobs", description = "Blossom blobs: 'verify' re-hashes every blob file and names the damaged ones "
        + "(exit 1 if any); safe while the relay runs.")
final class BlobsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "verify", description = "What to do: verify.")
    String action;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:TERN_DATA_DIR:-./data}",
            description = "Data directory; the blobs are in DIR/blobs unless --blossom-dir says otherwise (env TERN_DATA_DIR, default ./data).")
    Path dataDir;

    @Option(names = "--blossom-dir", paramLabel = "DIR", defaultValue = "${env:TERN_BLOSSOM_DIR:-}",
            description = "Directory of the blob files; empty = DATA_DIR/blobs (env TERN_BLOSSOM_DIR, default empty).")
    String blossomDir;

    @Override
    public Integer call() throws Exception {
        if (!action.equals("verify")) {
            System.err.println("tern blobs: unknown action '" + action + "'; the one action is verify");
            return 2;
        }
        Path dir = blossomDir.isBlank() ? dataDir.resolve("blobs") : Path.of(blossomDir);
        if (!Files.isDirectory(dir)) {
            System.err.println("tern blobs: no blob directory at " + dir);
            return 2;
        }
        BlobVerifier.Result r = BlobVerifier.verify(dir);
        for (BlobVerifier.Damaged d : r.damaged()) {
            System.out.println("damaged " + d.sha256() + " (its bytes hash to " + d.actual() + "): " + d.path());
        }
        System.out.printf("%d blobs, %d bytes verified, %d damaged%n", r.blobs(), r.bytes(), r.damaged().size());
        return r.damaged().isEmpty() ? 0 : 1;
    }
}
