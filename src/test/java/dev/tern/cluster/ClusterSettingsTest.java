package dev.tern.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {
    private static ClusterSettings settings(List<String> urls, String stream, int replicas, String node) {
        return new ClusterSettings(urls, stream, replicas, node, Duration.ZERO, 1 << 20, Duration.ofSeconds(30));
    }

    @Test
    void theLogIsOneSubjectOfTheStream() {
        assertEquals("tern.relay-1.log", settings(List.of("nats://127.0.0.1:4222"), "relay-1", 3, "a").subject());
    }

    @Test
    void mistakesNameTheOption() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> settings(List.of(), "tern", 1, "a"))
                .getMessage().startsWith("--nats"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> settings(List.of("http://x:4222"), "tern", 1, "a"))
                .getMessage().contains("not a nats://"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> settings(List.of("nats://x:4222"), "te.rn", 1, "a"))
                .getMessage().startsWith("--cluster-stream"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> settings(List.of("nats://x:4222"), "tern", 6, "a"))
                .getMessage().startsWith("--cluster-replicas"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> settings(List.of("nats://x:4222"), "tern", 1, "a b"))
                .getMessage().startsWith("--cluster-node"));
    }
}
