package dev.tern.ingest;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tern.event.RejectReason;
import dev.tern.store.WriteOutcome;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * An import's running totals. One thread updates them (the store writer, as each batch commits, so they
 * always describe exactly the committed input); any thread may read them.
 */
public final class ImportCounts {
    /** What happened to input lines. */
    public enum Counter {
        LINES_READ("lines read"),
        EMPTY_LINES("empty lines skipped"),
        STORED("events stored"),
        REPLACED_OLDER("of which replaced an older version"),
        DUPLICATE("duplicates"),
        SUPERSEDED("superseded by a newer version"),
        DELETED_BEFORE("deleted before (tombstoned)"),
        EXPIRED("expired"),
        EPHEMERAL("ephemeral, not stored"),
        BYTES("input bytes committed");

        private final String label;

        Counter(String label) { this.label = label; }

        public String label() { return label; }
    }

    private final AtomicLongArray counters = new AtomicLongArray(Counter.values().length);
    private final AtomicLongArray rejected = new AtomicLongArray(RejectReason.values().length);

    public long get(Counter c) { return counters.get(c.ordinal()); }

    public long rejected(RejectReason r) { return rejected.get(r.ordinal()); }

    public long rejectedTotal() {
        long n = 0;
        for (RejectReason r : RejectReason.values()) n += rejected(r);
        return n;
    }

    /** Valid events written, whatever the store did with them. */
    public long eventsProcessed() {
        return get(Counter.STORED) + get(Counter.DUPLICATE) + get(Counter.SUPERSEDED) + get(Counter.DELETED_BEFORE)
                + get(Counter.EXPIRED) + get(Counter.EPHEMERAL);
    }

    void add(Counter c, long n) { counters.addAndGet(c.ordinal(), n); }

    void set(Counter c, long n) { counters.set(c.ordinal(), n); }

    void reject(RejectReason r) { rejected.incrementAndGet(r.ordinal()); }

    void outcome(WriteOutcome o) {
        switch (o) {
            case STORED -> add(Counter.STORED, 1);
            case REPLACED_OLDER -> {
                add(Counter.STORED, 1);
                add(Counter.REPLACED_OLDER, 1);
            }
            case DUPLICATE -> add(Counter.DUPLICATE, 1);
            case SUPERSEDED -> add(Counter.SUPERSEDED, 1);
            case DELETED_BEFORE, VANISHED -> add(Counter.DELETED_BEFORE, 1); // a vanish request deletes before too (NIP-62)
            case EXPIRED -> add(Counter.EXPIRED, 1);
            case EPHEMERAL_NOT_STORED -> add(Counter.EPHEMERAL, 1);
        }
    }

    /** Every counter by a stable name (enum constant names), for checkpoints. */
    Map<String, Long> toMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Counter c : Counter.values()) m.put(c.name(), get(c));
        for (RejectReason r : RejectReason.values()) m.put("REJECTED_" + r.name(), rejected(r));
        return m;
    }

    /** Restores counters from {@link #toMap()}; unknown names are ignored, missing ones stay 0. */
    static ImportCounts fromMap(Map<String, Long> m) {
        ImportCounts c = new ImportCounts();
        for (Counter k : Counter.values()) c.set(k, m.getOrDefault(k.name(), 0L));
        for (RejectReason r : RejectReason.values()) c.rejected.set(r.ordinal(), m.getOrDefault("REJECTED_" + r.name(), 0L));
        return c;
    }

    ImportCounts copy() {
        return fromMap(toMap());
    }

    /** Adds another import's totals (several files in one command). */
    void addAll(ImportCounts o) {
        for (Counter c : Counter.values()) add(c, o.get(c));
        for (RejectReason r : RejectReason.values()) rejected.addAndGet(r.ordinal(), o.rejected(r));
    }

    void writeJson(JsonGenerator g) throws IOException {
        g.writeNumberField("lines_read", get(Counter.LINES_READ));
        g.writeNumberField("events_stored", get(Counter.STORED));
        g.writeNumberField("replaced_older", get(Counter.REPLACED_OLDER));
        g.writeNumberField("duplicates", get(Counter.DUPLICATE));
        g.writeNumberField("superseded", get(Counter.SUPERSEDED));
        g.writeNumberField("deleted_before", get(Counter.DELETED_BEFORE));
        g.writeNumberField("ephemeral_skipped", get(Counter.EPHEMERAL));
        g.writeNumberField("expired", get(Counter.EXPIRED));
        g.writeNumberField("empty_lines_skipped", get(Counter.EMPTY_LINES));
        g.writeNumberField("rejected", rejectedTotal());
        g.writeObjectFieldStart("rejected_by_reason");
        for (RejectReason r : RejectReason.values()) g.writeNumberField(r.label(), rejected(r));
        g.writeEndObject();
        g.writeNumberField("bytes", get(Counter.BYTES));
    }
}
