package dev.tern.blob;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A minimal HTTP origin on a loopback port for mirror tests: each request's path goes to {@code answer}, which
 * writes the raw answer (head and body, however it likes: chunked, short, stalled) on the connection.
 */
final class TestOrigin implements AutoCloseable {
    interface Answer {
        void write(String path, OutputStream out, TestOrigin origin) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    TestOrigin(Answer answer) throws IOException {
        server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    open.add(s);
                    Thread.ofVirtual().start(() -> serve(s, answer, this));
                } catch (IOException e) {
                    return; // closed
                }
            }
        });
    }

    private static void serve(Socket s, Answer answer, TestOrigin origin) {
        try (s) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            String requestLine = in.readLine();
            while (true) {
                String h = in.readLine();
                if (h == null || h.isEmpty()) break;
            }
            if (requestLine == null) return;
            answer.write(requestLine.split(" ")[1], s.getOutputStream(), origin);
            s.getOutputStream().flush();
        } catch (IOException | InterruptedException e) {
            // the client went away, or the test ended
        }
    }

    /** For an answer that stalls: holds the connection open, sending nothing, until the origin is closed. */
    void stall() throws InterruptedException {
        closed.await();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws Exception {
        closed.countDown();
        server.close();
        for (Socket s : open) s.close();
        acceptor.join(5_000);
    }
}
