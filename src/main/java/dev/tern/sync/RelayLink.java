package dev.tern.sync;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WebSocket connection to a remote relay (java.net.http), read one message at a time by the sync's thread.
 * The next message is asked for only once the previous one was taken, so a remote that sends much more than
 * was requested fills its socket, not this heap. Every wait has a time-out.
 */
public final class RelayLink implements WebSocket.Listener, AutoCloseable {
    /** Marks the end of the connection in the inbox. */
    private static final String CLOSED = "\u0000closed";
    /** The largest message taken from the relay (a negentropy answer, an event): past it the connection is dropped. */
    static final int MAX_MESSAGE_CHARS = 32 * 1024 * 1024;
    private final BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private final Duration timeout;
    private volatile String closeReason;
    private WebSocket ws;

    private RelayLink(Duration timeout) {
        this.timeout = timeout;
    }

    public static RelayLink connect(URI url, Duration timeout) throws IOException {
        RelayLink link = new RelayLink(timeout);
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        try {
            link.ws = http.newWebSocketBuilder().connectTimeout(timeout).buildAsync(url, link)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("cannot connect to " + url + ": " + why(e.getCause() == null ? e : e.getCause()));
        } catch (TimeoutException e) {
            throw new IOException("cannot connect to " + url + ": no WebSocket handshake within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to " + url);
        }
        return link;
    }

    /** Why a connection failed, in words: the JDK's HTTP client refuses a connection with no message of its own. */
    private static String why(Throwable cause) {
        if (cause.getMessage() != null) return cause.getMessage();
        return cause instanceof ConnectException ? "connection refused" : cause.getClass().getSimpleName();
    }

    public void send(String text) throws IOException {
        try {
            ws.sendText(text, true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            bytesOut.addAndGet(text.getBytes(StandardCharsets.UTF_8).length);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot send to the relay: " + (e.getCause() == null ? "no progress within "
                    + timeout.toSeconds() + " s" : e.getCause().getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending");
        }
    }

    /** The next message, or null if none came within {@code wait}; an IOException once the connection is gone. */
    public String next(Duration wait) throws IOException {
        String m;
        try {
            m = inbox.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the relay");
        }
        if (m == CLOSED) {
            inbox.add(CLOSED); // every later wait fails the same way
            throw new IOException("the relay closed the connection" + (closeReason == null ? "" : ": " + closeReason));
        }
        if (m != null) ws.request(1);
        return m;
    }

    public long bytesIn() {
        return bytesIn.get();
    }

    public long bytesOut() {
        return bytesOut.get();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        if (partial.length() + data.length() > MAX_MESSAGE_CHARS) {
            closeReason = "the relay sent a message over " + MAX_MESSAGE_CHARS / (1024 * 1024) + " MiB";
            partial.setLength(0);
            inbox.add(CLOSED);
            webSocket.abort();
            return null;
        }
        partial.append(data);
        if (last) {
            String m = partial.toString();
            partial.setLength(0);
            bytesIn.addAndGet(m.length());
            inbox.add(m);
        } else {
            webSocket.request(1); // the rest of this message
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        if (closeReason == null) closeReason = statusCode + (reason.isEmpty() ? "" : " " + reason);
        inbox.add(CLOSED);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        if (closeReason == null) closeReason = String.valueOf(error.getMessage());
        inbox.add(CLOSED);
    }

    @Override
    public void close() {
        if (ws != null) ws.abort();
    }
}
