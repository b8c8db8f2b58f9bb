package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A WebSocket client (java.net.http) that queues every message the relay sends. */
public final class TestClient implements WebSocket.Listener, AutoCloseable {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final long WAIT_SECONDS = 15;
    private static final Pattern CHALLENGE = Pattern.compile("^\\[\"AUTH\",\"([^\"]+)\"]$");

    private final BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
    /** Messages a helper read past (e.g. a live EVENT before an OK), returned again by next(). */
    private final java.util.ArrayDeque<String> pushedBack = new java.util.ArrayDeque<>();
    private final StringBuilder partial = new StringBuilder();
    private final WebSocket ws;
    final String challenge;
    volatile boolean closed;

    public TestClient(URI uri) {
        this.ws = HTTP.newWebSocketBuilder().buildAsync(uri, this).orTimeout(WAIT_SECONDS, TimeUnit.SECONDS).join();
        Matcher m = CHALLENGE.matcher(next());
        if (!m.matches()) fail("expected an AUTH challenge first");
        this.challenge = m.group(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            inbox.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed = true;
        inbox.add("<closed " + statusCode + ">");
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed = true;
        inbox.add("<error " + error + ">");
    }

    public TestClient send(String msg) {
        ws.sendText(msg, true).orTimeout(WAIT_SECONDS, TimeUnit.SECONDS).join();
        return this;
    }

    public String next() {
        if (!pushedBack.isEmpty()) return pushedBack.removeFirst();
        try {
            String m = inbox.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(m, "no message from the relay within " + WAIT_SECONDS + " s");
            return m;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Messages up to and including the first one {@code last} accepts. */
    public List<String> until(Predicate<String> last) {
        List<String> out = new ArrayList<>();
        while (true) {
            String m = next();
            out.add(m);
            if (last.test(m)) return out;
        }
    }

    /** Sends the event and returns its OK message; other messages stay queued. */
    public String publish(Event e) {
        send(eventMessage(e));
        String prefix = "[\"OK\",\"" + e.idHex() + "\"";
        List<String> got = until(m -> m.startsWith(prefix));
        for (int i = got.size() - 2; i >= 0; i--) pushedBack.addFirst(got.get(i));
        return got.getLast();
    }

    /** Opens a subscription and returns the stored EVENT messages it got before EOSE. */
    public List<String> req(String subId, String... filters) {
        send("[\"REQ\",\"" + subId + "\"," + String.join(",", filters) + "]");
        List<String> got = until(m -> m.equals("[\"EOSE\",\"" + subId + "\"]") || m.startsWith("[\"CLOSED\",\"" + subId + "\""));
        if (got.getLast().startsWith("[\"CLOSED\"")) fail("subscription closed: " + got.getLast());
        return got.stream().filter(m -> m.startsWith("[\"EVENT\",\"" + subId + "\"")).toList();
    }

    /** A round trip: everything the relay queued before this call arrives before it returns (the rest stays queued). */
    public List<String> barrier() {
        String id = "barrier-" + UUID.randomUUID().toString().substring(0, 8);
        send("[\"REQ\",\"" + id + "\",{\"ids\":[\"" + "0".repeat(64) + "\"]}]");
        List<String> before = until(m -> m.equals("[\"EOSE\",\"" + id + "\"]"));
        send("[\"CLOSE\",\"" + id + "\"]");
        return before.subList(0, before.size() - 1);
    }

    @Override
    public void close() {
        if (!closed) ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        ws.abort();
    }

    public static String eventMessage(Event e) {
        return "[\"EVENT\"," + new String(e.json(), StandardCharsets.UTF_8) + "]";
    }

    public static Event note(KeyPair k, String content) {
        return Signer.sign(k, now(), 1, List.of(), content);
    }

    public static long now() {
        return System.currentTimeMillis() / 1000;
    }

    public static String authorFilter(KeyPair k) {
        return "{\"authors\":[\"" + k.publicKeyHex() + "\"]}";
    }

    public static String idOf(String eventMessage) {
        int i = eventMessage.indexOf("{\"id\":\"");
        return eventMessage.substring(i + 7, i + 71);
    }
}
