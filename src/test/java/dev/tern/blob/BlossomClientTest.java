package dev.tern.blob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.testing.NodeClients;
import dev.tern.testing.ServeProcess;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * blossom-client-sdk, the library Blossom clients use, against two tern servers: upload, list, get whole and
 * by Range, mirror from the first to the second, report, delete.
 */
class BlossomClientTest {
    @Test
    void uploadListGetMirrorReportDelete(@TempDir Path dir) throws Exception {
        NodeClients.require();
        try (ServeProcess a = ServeProcess.start(dir.resolve("a"), dir.resolve("a.log"), "--blossom-public-uploads", "true");
             ServeProcess b = ServeProcess.start(dir.resolve("b"), dir.resolve("b.log"), "--blossom-public-uploads", "true",
                     "--blossom-mirror-private", "true")) {
            NodeClients.Result r = NodeClients.run(Duration.ofSeconds(90), "blossom.mjs", a.http("/").toString(), b.http("/").toString())
                    .assertSucceeded();
            assertTrue(r.output().startsWith("ok "), r.output());
            // the report is kept for the operator: loopback is admin when no owners are set
            HttpResponse<String> reports = BlobServerTest.HTTP.send(HttpRequest.newBuilder(b.http("/api/blobs/reports")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, reports.statusCode());
            assertTrue(reports.body().contains("\"kind\":1984") && reports.body().contains(r.output().substring(3).trim()), reports.body());
            HttpResponse<String> stats = BlobServerTest.HTTP.send(HttpRequest.newBuilder(b.http("/api/stats")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(stats.body().contains("\"blobs\":{\"count\":1,\"bytes\":300000,\"reports\":1}"), stats.body());
        }
    }
}
