package dev.tern.http;

import io.netty.channel.Channel;

/**
 * What a {@link BytePipe} calls when it has room again: it runs on the thread draining the pipe, so it hops to
 * the connection's event loop and turns reading back on there. Uploads that feed a pipe (imports, blobs) stop
 * reading when it is full, so TCP pushes back on the client.
 */
public final class PipeResume implements Runnable {
    private final Channel channel;
    private volatile BytePipe pipe;

    public PipeResume(Channel channel) {
        this.channel = channel;
    }

    /** The pipe whose drains this answers; set once it exists. */
    public void of(BytePipe p) {
        pipe = p;
    }

    @Override
    public void run() {
        channel.eventLoop().execute(() -> {
            // A write since the drain may have paused the pipe again; its own drain resumes us then.
            if (!pipe.isPaused()) channel.config().setAutoRead(true);
        });
    }
}
