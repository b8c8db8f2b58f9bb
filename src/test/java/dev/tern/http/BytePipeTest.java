package dev.tern.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BytePipeTest {

    @Test
    void signalsPauseAtHighWaterAndResumesWhenHalfDrained() throws IOException {
        AtomicInteger resumed = new AtomicInteger();
        BytePipe pipe = new BytePipe(100, resumed::incrementAndGet);
        assertTrue(pipe.write(new byte[60], 0, 60));
        assertFalse(pipe.write(new byte[60], 0, 60), "120 bytes >= high water: pause");
        byte[] buf = new byte[60];
        assertEquals(60, pipe.read(buf, 0, 60));
        assertEquals(0, resumed.get(), "60 bytes left is above half");
        assertEquals(20, pipe.read(buf, 0, 20));
        assertEquals(1, resumed.get(), "40 bytes left: resume once");
        assertEquals(40, pipe.read(buf, 0, 60));
        assertEquals(1, resumed.get());
    }

    @Test
    void refusesAProducerThatIgnoresThePause() throws IOException {
        BytePipe pipe = new BytePipe(10, () -> {});
        byte[] big = new byte[1024 * 1024];
        pipe.write(big, 0, big.length);
        assertThrows(IOException.class, () -> pipe.write(big, 0, big.length));
        assertThrows(IOException.class, () -> pipe.read(new byte[1], 0, 1));
    }

    /** A producer that honours the pause and a slow reader move every byte in order. */
    @Test
    void carriesAStreamAcrossThreadsWithBackpressure() throws Exception {
        Semaphore mayWrite = new Semaphore(0);
        BytePipe pipe = new BytePipe(4096, mayWrite::release);
        int total = 1_000_000;
        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
            try {
                byte[] chunk = new byte[1000];
                for (int sent = 0; sent < total; sent += chunk.length) {
                    for (int i = 0; i < chunk.length; i++) chunk[i] = (byte) (sent + i);
                    if (!pipe.write(chunk, 0, chunk.length) && !mayWrite.tryAcquire(1, TimeUnit.MINUTES)) {
                        throw new IllegalStateException("the pipe never resumed the producer");
                    }
                    assertTrue(pipe.buffered() <= 4096 + 1000);
                }
                pipe.end();
            } catch (Exception | AssertionError e) {
                pipe.fail(new IOException("the producer failed", e)); // so the reader below ends too
                throw new RuntimeException(e);
            }
        });
        byte[] got = new byte[total];
        int n = 0;
        for (int r; (r = pipe.read(got, n, Math.min(333, total - n))) > 0; ) n += r;
        producer.get(30, TimeUnit.SECONDS);
        assertEquals(total, n);
        assertEquals(-1, pipe.read(new byte[1], 0, 1));
        byte[] want = new byte[total];
        for (int i = 0; i < total; i++) want[i] = (byte) i;
        assertArrayEquals(want, got);
    }

    @Test
    void failureReachesTheReaderAndCloseReleasesTheProducer() throws IOException {
        BytePipe failed = new BytePipe(10, () -> {});
        failed.fail(new IOException("connection reset"));
        assertThrows(IOException.class, () -> failed.read(new byte[1], 0, 1));

        AtomicInteger resumed = new AtomicInteger();
        BytePipe closed = new BytePipe(10, resumed::incrementAndGet);
        assertFalse(closed.write(new byte[20], 0, 20));
        closed.close();
        assertEquals(1, resumed.get());
        assertTrue(closed.write(new byte[20], 0, 20), "bytes after close are dropped, never paused");
        assertEquals(0, closed.buffered());
    }
}
