package dev.tern.cluster;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code nats-server} processes on loopback, clustered with JetStream, for cluster-mode tests. Each
 * server has its own client, route and monitoring port and its own store directory; closing stops every
 * server this started, by PID. Without {@code nats-server} a test is skipped on a developer machine and fails
 * under CI=true, where .ci/run installs it.
 */
final class NatsCluster implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path dir;
    private final int[] clientPorts;
    private final int[] routePorts;
    private final int[] monitorPorts;
    private final Process[] servers;

    private NatsCluster(Path dir, int size) throws IOException {
        this.dir = dir;
        this.clientPorts = freePorts(size);
        this.routePorts = freePorts(size);
        this.monitorPorts = freePorts(size);
        this.servers = new Process[size];
    }

    /** Starts {@code size} servers in one cluster and waits until JetStream answers on every one. */
    static NatsCluster start(Path dir, int size) throws IOException, InterruptedException {
        require();
        NatsCluster c = new NatsCluster(dir, size);
        try {
            for (int i = 0; i < size; i++) c.startServer(i);
            for (int i = 0; i < size; i++) c.awaitReady(i);
        } catch (IOException | RuntimeException | Error | InterruptedException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private static final List<Path> BINARIES = List.of(Path.of("/usr/sbin/nats-server"), Path.of("/usr/bin/nats-server"));

    static void require() {
        if (binary() != null) return;
        String why = "this test needs nats-server: apt-get install nats-server (.ci/run does)";
        if ("true".equals(System.getenv("CI"))) fail(why);
        Assumptions.abort(why);
    }

    private static Path binary() {
        return BINARIES.stream().filter(Files::isExecutable).findFirst().orElse(null);
    }

    /** The client URLs of every server, as --nats takes them. */
    String urls() {
        List<String> urls = new ArrayList<>();
        for (int p : clientPorts) urls.add("nats://127.0.0.1:" + p);
        return String.join(",", urls);
    }

    String url(int i) {
        return "nats://127.0.0.1:" + clientPorts[i];
    }

    void startServer(int i) throws IOException {
        Path store = dir.resolve("n" + i);
        Files.createDirectories(store);
        StringBuilder routes = new StringBuilder();
        for (int j = 0; j < routePorts.length; j++) {
            if (j != i) routes.append("    nats-route://127.0.0.1:").append(routePorts[j]).append('\n');
        }
        String config = """
                server_name: n%d
                listen: 127.0.0.1:%d
                http: 127.0.0.1:%d
                max_payload: 8MB
                jetstream {
                  store_dir: "%s"
                  max_memory_store: 64MB
                  max_file_store: 1GB
                }
                cluster {
                  name: tern-test
                  listen: 127.0.0.1:%d
                  routes: [
                %s  ]
                }
                """.formatted(i, clientPorts[i], monitorPorts[i], store, routePorts[i], routes);
        Path conf = dir.resolve("n" + i + ".conf");
        Files.writeString(conf, config);
        servers[i] = new ProcessBuilder(binary().toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("n" + i + ".log").toFile()).start();
    }

    /** Waits until the server's /healthz says JetStream is ready (its cluster has a meta leader), at most 60 s. */
    void awaitReady(int i) throws IOException, InterruptedException {
        URI health = URI.create("http://127.0.0.1:" + monitorPorts[i] + "/healthz");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "";
        while (System.nanoTime() < until) {
            if (!servers[i].isAlive()) fail("nats-server n" + i + " exited: " + Files.readString(dir.resolve("n" + i + ".log")));
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
                last = r.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(200); // polling a server's readiness, not pacing work
        }
        fail("nats-server n" + i + " not ready in 60 s: " + last);
    }

    /** SIGKILL of server {@code i}, waiting for it to end. */
    void kill(int i) throws InterruptedException {
        servers[i].destroyForcibly();
        servers[i].waitFor(10, TimeUnit.SECONDS);
    }

    /** Starts servers {@code which} again (after {@link #kill}) with their stores and ports, and waits until they are ready. */
    void restart(int... which) throws IOException, InterruptedException {
        for (int i : which) startServer(i);
        for (int i : which) awaitReady(i);
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : servers) if (p != null) p.destroy();
        for (Process p : servers) {
            if (p == null) continue;
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int[] freePorts(int n) throws IOException {
        int[] ports = new int[n];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                held.add(s);
                ports[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : held) s.close();
        }
        return ports;
    }
}
