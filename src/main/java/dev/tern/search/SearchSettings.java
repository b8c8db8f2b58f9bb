package dev.tern.search;

import java.util.Set;
import java.util.TreeSet;

/**
 * What the search index does (NIP-50): whether it runs at all, which kinds it indexes, and its memory.
 *
 * @param enabled     TERN_SEARCH: off turns indexing and the {@code search} filter off
 * @param kinds       the kinds indexed: always 0, 1 and 30023, plus TERN_SEARCH_KINDS
 * @param bufferBytes Lucene's indexing RAM buffer ({@link dev.tern.config.MemoryBudget#searchBufferMb})
 * @param queueBytes  events waiting for the indexer thread ({@link dev.tern.config.MemoryBudget#searchQueueMb})
 * @param bulk        true for imports and reindex: the writer waits for the indexer rather than leave it to catch
 *                    up later, and nothing searches meanwhile, so the index is refreshed only at the end
 * @param threads     threads that add documents (the indexer and its helpers), each with a Lucene buffer of its own
 *                    that flushes its own segments: every core by default, one in an import ({@link #withThreads})
 */
public record SearchSettings(boolean enabled, Set<Integer> kinds, long bufferBytes, long queueBytes, boolean bulk, int threads) {
    /** Kind 0 (profile metadata), 1 (text note) and 30023 (long-form article). */
    public static final Set<Integer> DEFAULT_KINDS = Set.of(0, 1, 30023);
    /** NIP-04 direct messages, NIP-17/59 seals and gift wraps: ciphertext, readable only by their recipients. */
    static final Set<Integer> PRIVATE_KINDS = Set.of(4, 13, 1059);

    public SearchSettings {
        kinds = Set.copyOf(kinds);
        if (bufferBytes < 1 << 20 || queueBytes < 1) throw new IllegalArgumentException("search buffer and queue must be positive");
        if (threads < 1) throw new IllegalArgumentException("search threads must be at least 1");
    }

    /** Adding on every core. */
    public SearchSettings(boolean enabled, Set<Integer> kinds, long bufferBytes, long queueBytes, boolean bulk) {
        this(enabled, kinds, bufferBytes, queueBytes, bulk, Runtime.getRuntime().availableProcessors());
    }

    /** The same settings with {@code threads} adding documents. */
    public SearchSettings withThreads(int threads) {
        return new SearchSettings(enabled, kinds, bufferBytes, queueBytes, bulk, threads);
    }

    /** The default kinds plus the comma-separated {@code extra} (TERN_SEARCH_KINDS); a bad entry is an IllegalArgumentException. */
    public static Set<Integer> kinds(String extra) {
        Set<Integer> kinds = new TreeSet<>(DEFAULT_KINDS);
        for (String part : extra.split(",")) {
            String k = part.strip();
            if (k.isEmpty()) continue;
            int kind;
            try {
                kind = Integer.parseInt(k);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("search kinds: '" + k + "' is not a kind number");
            }
            if (kind < 0 || kind > 65535) throw new IllegalArgumentException("search kinds: " + kind + " is not between 0 and 65535");
            if (PRIVATE_KINDS.contains(kind)) {
                throw new IllegalArgumentException("search kinds: " + kind + " holds encrypted private messages, which are not searched");
            }
            kinds.add(kind);
        }
        return kinds;
    }
}
