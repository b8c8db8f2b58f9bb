import dev.tern.cluster.Entry;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.Nats;
import io.nats.client.api.PublishAck;
import io.nats.client.PublishOptions;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills a cluster's log with the events of a JSONL file as tern nodes write them ({@link Entry}: an event entry's
 * body is the event JSON, its message id the event id), so a node
 * started after can be timed catching up on a log of that size without first publishing through a node.
 * The stream must exist (a node started once makes it). Usage: java -cp target/tern.jar bench/cluster/LogFill.java NATS_URL STREAM FILE
 */
public class LogFill {
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f]{64})\"");

    public static void main(String[] args) throws Exception {
        String url = args[0], stream = args[1];
        Path file = Path.of(args[2]);
        String subject = "tern." + stream + ".log";
        try (Connection c = Nats.connect(url)) {
            JetStream js = c.jetStream();
            Semaphore inFlight = new Semaphore(4_000);
            AtomicLong last = new AtomicLong();
            long t0 = System.nanoTime(), n = 0, bytes = 0;
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line; (line = in.readLine()) != null; ) {
                    Matcher m = ID.matcher(line);
                    if (!m.find()) continue;
                    byte[] body = line.getBytes(StandardCharsets.UTF_8);
                    inFlight.acquire();
                    CompletableFuture<PublishAck> ack = js.publishAsync(subject,
                            Entry.event("fill"), body,
                            PublishOptions.builder().messageId(m.group(1)).expectedStream(stream).build());
                    ack.whenComplete((a, failure) -> {
                        if (failure != null) System.err.println("publish failed: " + failure);
                        else last.accumulateAndGet(a.getSeqno(), Math::max);
                        inFlight.release();
                    });
                    n++;
                    bytes += body.length;
                }
            }
            inFlight.acquire(4_000);
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("log fill: %,d entries (%,d MB) in %.1f s: %,.0f entries/s%n", n, bytes >> 20, s, n / s);
            System.out.println("last sequence " + last.get());
        }
    }
}
