package dev.tern.ingest;

import java.util.Objects;

/**
 * How an import runs.
 *
 * @param maxLineBytes longest accepted line, line end excluded; longer lines are skipped and reported
 * @param batchEvents  events per store write (fewer when the queue budget is smaller)
 * @param queueBytes   heap the pipeline may hold between reading and committing: raw lines and their
 *                     parsed form, charged at {@link #CHARGE_PER_RAW_BYTE} times the raw size
 * @param threads      parse/verify workers
 * @param verify       check signatures (ids are always checked)
 * @param policy       refuses events the relay's access rules keep out of the store (NIP-86 bans)
 */
public record ImportSettings(int maxLineBytes, int batchEvents, long queueBytes, int threads, boolean verify,
                             ImportPolicy policy) {
    public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;
    public static final int DEFAULT_BATCH_EVENTS = 2_000;
    /** A raw line parses into about 3-4 times its size of strings and lists, held with the stored JSON copy. */
    static final int CHARGE_PER_RAW_BYTE = 4;
    private static final int MAX_CHUNK_BYTES = 256 << 10;
    private static final int MIN_CHUNK_BYTES = 16 << 10;

    public ImportSettings {
        if (maxLineBytes < ImportError.HEAD_BYTES) throw new IllegalArgumentException("max line bytes must be at least " + ImportError.HEAD_BYTES);
        if (batchEvents < 1) throw new IllegalArgumentException("batch events must be at least 1");
        if (queueBytes < (1 << 20)) throw new IllegalArgumentException("import queue must be at least 1 MB");
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1");
        Objects.requireNonNull(policy, "policy");
    }

    public ImportSettings withPolicy(ImportPolicy p) {
        return new ImportSettings(maxLineBytes, batchEvents, queueBytes, threads, verify, p);
    }

    /** Raw bytes per chunk: small enough that about 16 chunks fit the queue, so all workers stay busy. */
    int chunkBytes() {
        return (int) Math.max(MIN_CHUNK_BYTES, Math.min(MAX_CHUNK_BYTES, queueBytes / CHARGE_PER_RAW_BYTE / 16));
    }

    int chunkLines() {
        return Math.min(batchEvents, 1_024);
    }
}
