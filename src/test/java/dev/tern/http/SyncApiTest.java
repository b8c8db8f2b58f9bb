package dev.tern.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import dev.tern.store.EventCursor;
import dev.tern.store.TestWrites;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** POST /api/sync makes a running relay fetch what another relay has, through its own writer; GET /api/sync reports it. */
class SyncApiTest {
    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aRunningRelayFetchesWhatAnotherHas() throws Exception {
        try (ApiRelay local = new ApiRelay(dir.resolve("local"), HttpTimeouts.DEFAULTS);
             ApiRelay remote = new ApiRelay(dir.resolve("remote"), HttpTimeouts.DEFAULTS)) {
            KeyPair k = KeyPair.generate(new Random(4));
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < 50; i++) events.add(Signer.sign(k, 1_700_000_000L + i, 1, List.of(), "remote " + i));
            TestWrites.write(remote.writer, events);
            String base = "http://127.0.0.1:" + local.relay.port() + "/api/sync";

            assertEquals(400, post(base, "{}").statusCode()); // no url
            assertEquals(400, post(base + "?url=ws://127.0.0.1:" + remote.relay.port() + "/", "{\"kinds\":\"x\"}").statusCode());
            HttpResponse<String> started = post(base + "?url=ws://127.0.0.1:" + remote.relay.port() + "/&direction=down", "{\"kinds\":[1]}");
            assertEquals(202, started.statusCode(), started.body());

            String status = "";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                status = http.send(HttpRequest.newBuilder(URI.create(base)).build(), HttpResponse.BodyHandlers.ofString()).body();
                if (!status.contains("\"state\":\"running\"")) break;
                TimeUnit.MILLISECONDS.sleep(200); // a poll of the status endpoint, as an operator's page does
            }
            assertTrue(status.contains("\"state\":\"complete\""), status);
            assertEquals(50, count(local));
        }
    }

    private HttpResponse<String> post(String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long count(ApiRelay relay) {
        try (EventCursor c = relay.store.export(null)) {
            long n = 0;
            for (; c.hasNext(); c.next()) n++;
            return n;
        }
    }
}
