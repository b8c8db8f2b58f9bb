package dev.tern.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded byte pipe from a Netty event loop (the producer, which must never block) to a pipeline
 * thread reading an {@link InputStream}. Backpressure goes through TCP: {@link #write} answers false
 * once the pipe holds {@code highWater} bytes, and the producer then stops reading the socket; when
 * the reader has drained it below half of that, {@code onDrained} runs (on the reader's thread) so
 * the producer can read again.
 *
 * <p>A socket read already under way may still deliver a few chunks after reading stops, so the
 * pipe accepts up to {@code hardLimit} bytes and fails the upload beyond that: a producer that
 * ignores the signal cannot grow the heap.
 */
public final class BytePipe extends InputStream {
    private final long highWater;
    private final long hardLimit;
    private final Runnable onDrained;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private long buffered;
    private int headOffset;
    private boolean paused;
    private boolean ended;
    private boolean readerClosed;
    private IOException failure;
    private long totalWritten;

    public BytePipe(long highWater, Runnable onDrained) {
        if (highWater <= 0) throw new IllegalArgumentException("highWater must be positive");
        this.highWater = highWater;
        this.hardLimit = highWater * 4 + 1024 * 1024;
        this.onDrained = onDrained;
    }

    /**
     * Copies bytes in (so the caller can release its buffer at once). Returns false when the
     * producer should pause until {@code onDrained} runs. Bytes written after the reader closed
     * are dropped.
     */
    public boolean write(byte[] b, int off, int len) throws IOException {
        lock.lock();
        try {
            if (ended) throw new IOException("pipe already ended");
            if (readerClosed) return true;
            if (buffered + len > hardLimit) {
                failure = new IOException("upload pipe overflow: the producer did not pause");
                readable.signalAll();
                throw failure;
            }
            if (len > 0) {
                byte[] copy = new byte[len];
                System.arraycopy(b, off, copy, 0, len);
                chunks.add(copy);
                buffered += len;
                totalWritten += len;
                readable.signalAll();
            }
            if (buffered >= highWater) paused = true;
            return !paused;
        } finally {
            lock.unlock();
        }
    }

    /** The producer has no more bytes: the reader sees end of stream after the buffered ones. */
    public void end() {
        lock.lock();
        try {
            ended = true;
            readable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The producer failed (connection closed, malformed body): the reader gets this error. */
    public void fail(IOException cause) {
        lock.lock();
        try {
            if (failure == null) failure = cause;
            readable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** True between a {@link #write} that answered false and the {@code onDrained} that follows it. */
    public boolean isPaused() {
        lock.lock();
        try {
            return paused;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes written so far. */
    public long totalWritten() {
        lock.lock();
        try {
            return totalWritten;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes waiting for the reader. */
    long buffered() {
        lock.lock();
        try {
            return buffered;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        boolean resume = false;
        int n;
        lock.lock();
        try {
            while (chunks.isEmpty() && !ended && failure == null && !readerClosed) {
                readable.awaitUninterruptibly();
            }
            if (failure != null) throw new IOException(failure.getMessage(), failure);
            if (readerClosed) throw new IOException("pipe closed");
            if (chunks.isEmpty()) return -1;
            byte[] head = chunks.peek();
            n = Math.min(len, head.length - headOffset);
            System.arraycopy(head, headOffset, b, off, n);
            headOffset += n;
            if (headOffset == head.length) {
                chunks.poll();
                headOffset = 0;
            }
            buffered -= n;
            if (paused && buffered <= highWater / 2) {
                paused = false;
                resume = true;
            }
        } finally {
            lock.unlock();
        }
        if (resume) onDrained.run();
        return n;
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return (int) Math.min(Integer.MAX_VALUE, buffered);
        } finally {
            lock.unlock();
        }
    }

    /** The reader gives up: buffered bytes are dropped and the producer is let go so it can drain. */
    @Override
    public void close() {
        boolean resume;
        lock.lock();
        try {
            readerClosed = true;
            chunks.clear();
            buffered = 0;
            resume = paused;
            paused = false;
            readable.signalAll();
        } finally {
            lock.unlock();
        }
        if (resume) onDrained.run();
    }
}
