package dev.tern.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RelayLinkTest {
    @Test
    void aRefusedConnectionSaysSo() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        URI url = URI.create("ws://127.0.0.1:" + port + "/");
        IOException e = assertThrows(IOException.class, () -> RelayLink.connect(url, Duration.ofSeconds(5)));
        assertEquals("cannot connect to " + url + ": connection refused", e.getMessage());
    }
}
