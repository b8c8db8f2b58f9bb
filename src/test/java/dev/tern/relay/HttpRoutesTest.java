package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NIP-11, CORS, /healthz, the placeholder page and 404s on the relay's port. */
class HttpRoutesTest {
    @TempDir
    static Path dir;
    static TestRelay relay;

    @BeforeAll
    static void start() throws InterruptedException {
        relay = TestRelay.start(dir);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        relay.close();
    }

    private static HttpResponse<String> get(String path, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(relay.http(path));
        if (accept != null) b.header("Accept", accept);
        return TestClient.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void nip11DocumentWithCors() throws Exception {
        HttpResponse<String> r = get("/", "application/nostr+json");
        assertEquals(200, r.statusCode());
        assertEquals("application/nostr+json", r.headers().firstValue("content-type").orElseThrow());
        assertEquals("*", r.headers().firstValue("access-control-allow-origin").orElseThrow());
        assertTrue(r.headers().firstValue("access-control-allow-headers").isPresent());
        assertTrue(r.headers().firstValue("access-control-allow-methods").isPresent());
        String body = r.body();
        for (String part : new String[] {"\"name\":\"test relay\"", "\"description\":\"a relay under test\"",
                "\"contact\":\"mailto:ops@example.org\"", "\"version\":\"0.0-test\"", "\"supported_nips\":[1,9,11,17,40,42,45,59,62,70,77]",
                "\"max_message_length\":1048576", "\"max_subscriptions\":64", "\"max_filters\":200", "\"max_limit\":5000", "\"max_subid_length\":64",
                "\"max_event_tags\":2500", "\"max_content_length\":65536", "\"created_at_upper_limit\":900",
                "\"auth_required\":false"}) {
            assertTrue(body.contains(part), part + " in " + body);
        }
    }

    @Test
    void corsPreflight() throws Exception {
        HttpResponse<String> r = TestClient.HTTP.send(HttpRequest.newBuilder(relay.http("/"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://example.org").header("Access-Control-Request-Method", "GET").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(204, r.statusCode());
        assertEquals("*", r.headers().firstValue("access-control-allow-origin").orElseThrow());
        assertTrue(r.headers().firstValue("access-control-allow-methods").orElseThrow().contains("GET"));
    }

    @Test
    void healthz() throws Exception {
        HttpResponse<String> r = get("/healthz", null);
        assertEquals(200, r.statusCode());
        assertEquals("ok\n", r.body());
    }

    @Test
    void browserGetsAPageAndUnknownPathsA404() throws Exception {
        HttpResponse<String> page = get("/", "text/html");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("content-type").orElseThrow().startsWith("text/html"));
        // the operator page; it fills in the relay's NIP-11 facts from the browser
        assertTrue(page.body().contains("tern relay") && page.body().contains("/web/app.js"), page.body());
        assertEquals(404, get("/nope", null).statusCode());
        HttpResponse<String> post = TestClient.HTTP.send(HttpRequest.newBuilder(relay.http("/healthz"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
    }
}
