package dev.tern.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Bootstrap} against a loopback HTTP server answering {@code /api/snapshot} with a given tar. */
class BootstrapTest {
    @TempDir
    Path dir;

    @Test
    void unpacksAStoreWithItsCurrentFileLast() throws Exception {
        byte[] tar = tar(Map.of("CURRENT", "MANIFEST-000005\n", "000004.sst", "sst bytes", "OPTIONS-000007", "options"));
        Path data = dir.resolve("data");
        Files.createDirectories(data.resolve("search"));
        long bytes = serve(200, tar, peer -> Bootstrap.fromPeer(peer, data, null));
        assertEquals("MANIFEST-000005\n".length() + "sst bytes".length() + "options".length(), bytes);
        assertTrue(Bootstrap.hasStore(data));
        assertEquals("sst bytes", Files.readString(data.resolve("000004.sst")));
        assertFalse(Files.exists(data.resolve("bootstrap-partial")));
        assertFalse(Files.exists(data.resolve("search")), "an index of an earlier store is dropped");
    }

    @Test
    void anEntryWithAPathOrNoStoreIsRefusedAndLeavesNoStore() throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        IOException path = assertThrows(IOException.class, () -> serve(200, tar(Map.of("../escape", "x", "CURRENT", "M\n")),
                peer -> Bootstrap.fromPeer(peer, data, null)));
        assertTrue(path.getMessage().contains("unexpected entry"), path.getMessage());
        IOException none = assertThrows(IOException.class, () -> serve(200, tar(Map.of("000004.sst", "x")),
                peer -> Bootstrap.fromPeer(peer, data, null)));
        assertTrue(none.getMessage().contains("no RocksDB store"), none.getMessage());
        IOException denied = assertThrows(IOException.class, () -> serve(403, "{\"error\":\"admins only\"}".getBytes(StandardCharsets.UTF_8),
                peer -> Bootstrap.fromPeer(peer, data, null)));
        assertTrue(denied.getMessage().contains("403") && denied.getMessage().contains("admins only"), denied.getMessage());
        assertFalse(Bootstrap.hasStore(data));
        assertFalse(Files.exists(dir.resolve("escape")));
    }

    private interface Fetch {
        long from(URI peer) throws Exception;
    }

    private static long serve(int status, byte[] body, Fetch fetch) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/snapshot", ex -> {
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            return fetch.from(URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
        } finally {
            server.stop(0);
        }
    }

    private static byte[] tar(Map<String, String> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            for (var f : new java.util.TreeMap<>(files).entrySet()) {
                byte[] b = f.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                e.setSize(b.length);
                tar.putArchiveEntry(e);
                tar.write(b);
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }
}
