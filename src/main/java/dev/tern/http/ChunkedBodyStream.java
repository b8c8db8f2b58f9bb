package dev.tern.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.Semaphore;

/**
 * An OutputStream, written by a worker thread, that sends a chunked HTTP response body in pieces of
 * {@link #CHUNK_BYTES}. At most {@link #IN_FLIGHT} pieces are queued in the channel at once: the
 * writer blocks until the socket has taken one, so a slow client slows the export instead of
 * filling the heap.
 */
final class ChunkedBodyStream extends OutputStream {
    static final int CHUNK_BYTES = 64 * 1024;
    static final int IN_FLIGHT = 4;

    private final Channel channel;
    private final Semaphore slots = new Semaphore(IN_FLIGHT);
    private volatile Throwable failure;
    private ByteBuf current;
    private boolean closed;

    ChunkedBodyStream(Channel channel) {
        this.channel = channel;
    }

    @Override
    public void write(int b) throws IOException {
        ensureBuffer().writeByte(b);
        if (current.writableBytes() == 0) ship();
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            ByteBuf buf = ensureBuffer();
            int n = Math.min(len, buf.writableBytes());
            buf.writeBytes(b, off, n);
            off += n;
            len -= n;
            if (buf.writableBytes() == 0) ship();
        }
    }

    /** Sends what is buffered so far (the client sees progress on sparse exports). */
    @Override
    public void flush() throws IOException {
        if (current != null && current.isReadable()) ship();
    }

    /** Sends the rest and ends the response. */
    @Override
    public void close() throws IOException {
        if (closed) return;
        flush();
        closed = true;
        acquireSlot();
        channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> done(f.cause()));
    }

    /** Gives up: drops the buffer, and {@link #close} will not end the response as if it were complete. */
    void abort() {
        closed = true;
        if (current != null) {
            current.release();
            current = null;
        }
    }

    private ByteBuf ensureBuffer() throws IOException {
        if (closed) throw new IOException("stream closed");
        if (current == null) current = channel.alloc().heapBuffer(CHUNK_BYTES, CHUNK_BYTES);
        return current;
    }

    private void ship() throws IOException {
        acquireSlot();
        ByteBuf chunk = current;
        current = null;
        channel.writeAndFlush(new DefaultHttpContent(chunk)).addListener(f -> done(f.cause()));
    }

    private void acquireSlot() throws IOException {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("export interrupted");
        }
        if (failure != null) {
            slots.release();
            throw new IOException("client connection failed: " + failure.getMessage(), failure);
        }
    }

    private void done(Throwable cause) {
        if (cause != null && failure == null) failure = cause;
        slots.release();
    }
}
