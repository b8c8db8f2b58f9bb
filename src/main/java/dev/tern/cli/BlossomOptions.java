package dev.tern.cli;

import dev.tern.blob.BlobSettings;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The Blossom media server's options (TERN_BLOSSOM_*); see README, "Blossom media". */
final class BlossomOptions {
    @Option(names = "--blossom", paramLabel = "true|false", arity = "1", defaultValue = "${env:TERN_BLOSSOM:-true}",
            description = "Serve Blossom media (BUD-01/02/04/05/06/08/09) on the relay's port (env TERN_BLOSSOM, default true).")
    boolean enabled;

    @Option(names = "--blossom-dir", paramLabel = "DIR", defaultValue = "${env:TERN_BLOSSOM_DIR:-}",
            description = "Directory of the blob files; empty = DATA_DIR/blobs (env TERN_BLOSSOM_DIR, default empty).")
    String dir;

    @Option(names = "--blossom-max-blob-bytes", paramLabel = "N", defaultValue = "${env:TERN_BLOSSOM_MAX_BLOB_BYTES:-104857600}",
            description = "Largest blob accepted, in bytes (env TERN_BLOSSOM_MAX_BLOB_BYTES, default 104857600).")
    long maxBlobBytes;

    @Option(names = "--blossom-quota-bytes", paramLabel = "N", defaultValue = "${env:TERN_BLOSSOM_QUOTA_BYTES:-0}",
            description = "Bytes of blobs one pubkey may own; 0 = no quota; owners and admins have none "
                    + "(env TERN_BLOSSOM_QUOTA_BYTES, default 0).")
    long quotaBytes;

    @Option(names = "--blossom-quota-blobs", paramLabel = "N", defaultValue = "${env:TERN_BLOSSOM_QUOTA_BLOBS:-0}",
            description = "Blobs one pubkey may own; 0 = no quota (env TERN_BLOSSOM_QUOTA_BLOBS, default 0).")
    long quotaBlobs;

    @Option(names = "--blossom-types", paramLabel = "LIST", defaultValue = "${env:TERN_BLOSSOM_TYPES:-}",
            description = "Media types accepted, comma-separated, 'image/*' for a family; empty = any "
                    + "(env TERN_BLOSSOM_TYPES, default empty).")
    String types;

    @Option(names = "--blossom-public-uploads", paramLabel = "true|false", arity = "1",
            defaultValue = "${env:TERN_BLOSSOM_PUBLIC_UPLOADS:-false}",
            description = "Anyone with a valid upload token may upload, not only whom the relay's ACL lets write "
                    + "(owners, admins, follows or allowed pubkeys); banned pubkeys never (env TERN_BLOSSOM_PUBLIC_UPLOADS, default false).")
    boolean publicUploads;

    @Option(names = "--blossom-public-reads", paramLabel = "true|false", arity = "1",
            defaultValue = "${env:TERN_BLOSSOM_PUBLIC_READS:-true}",
            description = "GET, HEAD and /list need no token; false = a 'get' or 'list' token (BUD-11) "
                    + "(env TERN_BLOSSOM_PUBLIC_READS, default true).")
    boolean publicReads;

    @Option(names = "--blossom-public-url", paramLabel = "URL", defaultValue = "${env:TERN_BLOSSOM_PUBLIC_URL:-}",
            description = "Base URL of blob descriptors, e.g. https://media.example.com; its host is the name tokens' server "
                    + "tags must carry; empty = the request's Host (env TERN_BLOSSOM_PUBLIC_URL, default empty).")
    String publicUrl;

    @Option(names = "--blossom-mirror-private", paramLabel = "true|false", arity = "1",
            defaultValue = "${env:TERN_BLOSSOM_MIRROR_PRIVATE:-false}",
            description = "PUT /mirror may fetch from loopback, private, link-local, unique-local and multicast addresses; "
                    + "false = public addresses only, so a mirror URL cannot reach the relay's own machine or network "
                    + "(env TERN_BLOSSOM_MIRROR_PRIVATE, default false).")
    boolean mirrorPrivate;

    BlobSettings settings(Path dataDir) {
        Path blobs = dir == null || dir.isBlank() ? dataDir.resolve("blobs") : Path.of(dir);
        return new BlobSettings(blobs, maxBlobBytes, quotaBytes, quotaBlobs, BlobSettings.parseTypes(types),
                publicUploads, publicReads, publicUrl, mirrorPrivate);
    }
}
