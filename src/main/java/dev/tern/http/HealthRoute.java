package dev.tern.http;

import dev.tern.store.StoreWriter;
import dev.tern.store.EventStore;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /healthz}: 200 "ok" while the server is open, the store is open and the store writer is
 * running and not stuck in one commit for longer than {@link #STALL_NANOS}; else 503 with the reason.
 * Answering at all shows the event loops are alive.
 */
public final class HealthRoute implements HttpRoute {
    /** A batch commits in milliseconds; half a minute means RocksDB is stalled (disk full, write stall). */
    static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final BooleanSupplier serverOpen;
    private final EventStore store;
    private final StoreWriter writer;
    /** Checks capabilities add (cluster mode: the log); each answers a problem or null. */
    private final List<Supplier<String>> checks = new CopyOnWriteArrayList<>();
    /** Conditions that leave the relay serving but short of something (writes refused): said after "ok". */
    private final List<Supplier<String>> notes = new CopyOnWriteArrayList<>();

    public HealthRoute(BooleanSupplier serverOpen, EventStore store, StoreWriter writer) {
        this.serverOpen = serverOpen;
        this.store = store;
        this.writer = writer;
    }

    /** Why the relay is unhealthy, or null if it is healthy. */
    String problem() {
        if (!serverOpen.getAsBoolean()) return "shutting down";
        if (!store.isOpen()) return "store closed";
        if (!writer.isRunning()) return "store writer stopped";
        long busy = writer.busyNanos();
        if (busy > STALL_NANOS) return "store writer stalled: one commit has run for " + TimeUnit.NANOSECONDS.toSeconds(busy) + " s";
        for (Supplier<String> check : checks) {
            String problem = check.get();
            if (problem != null) return problem;
        }
        return null;
    }

    /** Adds a check: {@code problem} answers why the relay is unhealthy (503), or null. */
    public void addCheck(Supplier<String> problem) {
        checks.add(problem);
    }

    /** Adds a note: {@code degraded} answers what the relay, healthy, cannot do now (said with 200), or null. */
    public void addNote(Supplier<String> degraded) {
        notes.add(degraded);
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest req) {
        String problem = problem();
        if (problem == null) {
            StringBuilder ok = new StringBuilder("ok");
            for (Supplier<String> note : notes) {
                String n = note.get();
                if (n != null) ok.append("; ").append(n);
            }
            HttpResponses.text(ctx, req, HttpResponseStatus.OK, ok.append('\n').toString());
        } else {
            HttpResponses.text(ctx, req, HttpResponseStatus.SERVICE_UNAVAILABLE, problem + "\n");
        }
    }
}
