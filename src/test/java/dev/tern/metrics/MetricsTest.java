package dev.tern.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MetricsTest {

    private static String scrape(Metrics m) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeText(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void exposesCountersHistogramsCallbackGaugesAndJvmMemory() throws IOException {
        Metrics m = new Metrics();
        m.eventsStored(3);
        m.eventRejected("invalid: bad signature");
        m.eventRejected("something odd");
        m.connectionOpened();
        m.subscriptionOpened();
        m.observeFanoutNanos(2_000_000);
        m.gauge("tern_db_size_bytes", "Store size on disk", () -> 1);
        m.gauge("tern_db_size_bytes", "Store size on disk", () -> 42);
        String text = scrape(m);
        assertTrue(text.contains("tern_events_stored_total 3.0"), text);
        assertTrue(text.contains("tern_events_not_stored_total{reason=\"invalid\"} 1.0"), text);
        assertTrue(text.contains("tern_events_not_stored_total{reason=\"other\"} 1.0"), text);
        assertTrue(text.contains("tern_connections 1.0"), text);
        assertTrue(text.contains("tern_fanout_latency_seconds_bucket{le=\"0.0025\"} 1"), text);
        assertTrue(text.contains("tern_db_size_bytes 42.0"), "the second registration replaces the source");
        assertTrue(text.contains("jvm_memory_used_bytes"), text);
        assertTrue(m.contentType().startsWith("text/plain"));
    }

    @Test
    void reasonLabelsAreBounded() {
        assertEquals("duplicate", Metrics.reasonOf("duplicate: already have this event"));
        assertEquals("rate-limited", Metrics.reasonOf("rate-limited"));
        assertEquals("other", Metrics.reasonOf("a:b"));
        assertEquals("other", Metrics.reasonOf(null));
    }
}
