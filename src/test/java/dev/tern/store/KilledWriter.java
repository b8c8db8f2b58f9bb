package dev.tern.store;

import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Child process for {@link KillDuringWriteTest}: writes batches with checkpoints and prints each
 * acknowledged batch, then waits (never closing the store) until the test kills it with SIGKILL.
 */
public final class KilledWriter {
    static final int BATCHES = 40;
    static final int BATCH_SIZE = 25;

    public static void main(String[] args) throws java.io.IOException {
        Path dir = Path.of(args[0]);
        boolean bulk = Boolean.parseBoolean(args[1]);
        EventStore store = EventStore.open(config(dir).withBulkLoad(bulk));
        for (int b = 0; b < BATCHES; b++) {
            Checkpoint checkpoint = new Checkpoint("cp", new byte[] {(byte) b});
            store.write(batch(b), o -> checkpoint, TestEvents.NOW);
            System.out.println("acked " + b);
        }
        System.out.println("done");
        System.out.flush();
        System.in.read();
    }

    /** Small memtables, so the bulk run flushes several times before the halt. */
    static StoreConfig config(Path dir) {
        return TestEvents.config(dir).withMemtableBytes(2L << 20).withBlockCacheBytes(8L << 20);
    }

    /** Deterministic 4 KB events, so the parent can recompute what each batch held. */
    static List<Event> batch(int b) {
        KeyPair keys = TestEvents.ALICE;
        Random r = new Random(b);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < BATCH_SIZE; i++) {
            byte[] filler = new byte[3000];
            r.nextBytes(filler);
            events.add(Signer.sign(keys, 1000 + b, 1, List.of(List.of("t", "b" + b)), java.util.HexFormat.of().formatHex(filler)));
        }
        return events;
    }
}
