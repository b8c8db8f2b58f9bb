package dev.tern.cluster;

import dev.tern.acl.Nip98Validator;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import dev.tern.store.Directories;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Starts a new or wiped node from a peer: its {@code GET /api/snapshot} (a consistent copy of its store, which
 * records the log sequence it reflects) is unpacked into the empty data directory before the store opens; the
 * node then applies the log from there. NIP-98 signed with {@code key} when the peer wants an admin.
 */
public final class Bootstrap {
    private Bootstrap() {}

    /** True if the data directory already holds a store (RocksDB's CURRENT file): it is then left alone. */
    public static boolean hasStore(Path dataDir) {
        return Files.exists(dataDir.resolve("CURRENT"));
    }

    /**
     * Fetches {@code peer}'s snapshot into {@code dataDir}, which must hold no store; returns the bytes unpacked. A
     * failed or cut transfer leaves the directory without a store (the next start tries again).
     */
    public static long fromPeer(URI peer, Path dataDir, KeyPair key) throws IOException, InterruptedException {
        URI url = peer.resolve("/api/snapshot");
        HttpRequest.Builder req = HttpRequest.newBuilder(url).timeout(Duration.ofHours(6)).GET();
        if (key != null) req.header("Authorization", nip98(key, url));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<InputStream> res = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = res.body()) {
            if (res.statusCode() != 200) {
                String why = new String(body.readNBytes(500), StandardCharsets.UTF_8).strip();
                throw new IOException(url + " answered " + res.statusCode() + ": " + why);
            }
            Path partial = dataDir.resolve("bootstrap-partial");
            Directories.deleteTree(partial);
            Files.createDirectories(partial);
            long bytes = unpack(body, partial);
            if (!Files.exists(partial.resolve("CURRENT"))) throw new IOException(url + " sent no RocksDB store");
            // CURRENT last: until it is in place the directory holds no store
            try (Stream<Path> files = Files.list(partial)) {
                for (Path f : files.filter(f -> !f.getFileName().toString().equals("CURRENT")).toList()) {
                    Files.move(f, dataDir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(partial.resolve("CURRENT"), dataDir.resolve("CURRENT"), StandardCopyOption.ATOMIC_MOVE);
            Directories.deleteTree(partial);
            Directories.deleteTree(dataDir.resolve("search")); // an index of an earlier store would not match: rebuilt from this one
            return bytes;
        }
    }

    /** The tar's regular files, flat (RocksDB's directory is flat); a name with a path in it is refused. */
    private static long unpack(InputStream in, Path dir) throws IOException {
        long bytes = 0;
        TarArchiveInputStream tar = new TarArchiveInputStream(in);
        for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
            String name = e.getName();
            if (!e.isFile() || name.isEmpty() || name.contains("/") || name.startsWith(".")) {
                throw new IOException("the snapshot holds an unexpected entry: " + name);
            }
            bytes += Files.copy(tar, dir.resolve(name));
        }
        return bytes;
    }

    private static String nip98(KeyPair key, URI url) {
        var e = Signer.sign(key, System.currentTimeMillis() / 1000, Nip98Validator.KIND,
                List.of(List.of("u", url.toString()), List.of("method", "GET")), "");
        return "Nostr " + Base64.getEncoder().encodeToString(e.json());
    }
}
