package dev.tern.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.testing.ServeProcess;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** At INFO, connections are summarised, not logged one by one; SIGTERM logs each shutdown step and ends in a status the systemd unit counts as success. */
class ServeLogTest {
    @TempDir
    Path dir;

    @Test
    void connectionsAreSummarisedAndShutdownIsLogged() throws Exception {
        Path log = dir.resolve("serve.log");
        ServeProcess relay = ServeProcess.start(dir.resolve("data"), log);
        try (relay) {
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < 5; i++) {
                WebSocket ws = http.newWebSocketBuilder().buildAsync(relay.ws(), new WebSocket.Listener() { }).get(10, TimeUnit.SECONDS);
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
            }
        } // SIGTERM
        String text = Files.readString(log);
        assertFalse(text.contains("connection from"), "no line per connection at INFO:\n" + text);
        // the first connection brings a summary at once; on two event loops others may be counted in it
        assertTrue(java.util.regex.Pattern.compile("connections: [1-5] opened and [0-5] closed since the last report").matcher(text).find(),
                "the first summary at once:\n" + text);
        for (String step : new String[] {"shutting down: closing subscriptions and connections",
                "shutting down: committing the events still queued for the writer", "shutting down: closing the store", "stopped in "}) {
            assertTrue(text.contains(step), step + " in:\n" + text);
        }
        // the JVM ends a SIGTERM with 143 (128 + 15): the systemd unit must count it a clean stop, not a failure
        String unit = Files.readString(Path.of("deploy/tern.service"));
        int status = relay.exitValue();
        assertTrue(status == 0 || unit.lines().anyMatch(l -> l.startsWith("SuccessExitStatus=") && List.of(l.substring(18).split(" ")).contains(String.valueOf(status))),
                "exit status " + status + " after SIGTERM is not a success in deploy/tern.service");
    }
}
