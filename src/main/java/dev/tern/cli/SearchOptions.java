package dev.tern.cli;

import dev.tern.config.MemoryBudget;
import dev.tern.search.SearchIndex;
import dev.tern.search.SearchSettings;
import dev.tern.store.EventStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** NIP-50 search: whether the index runs and which kinds it holds (serve, import, reindex). */
final class SearchOptions {
    @Option(names = "--search", paramLabel = "on|off", defaultValue = "${env:TERN_SEARCH:-on}",
            description = "NIP-50 full-text search: on keeps the index in DATA_DIR/search and answers 'search' filters; "
                    + "off leaves the index as it is and refuses them (env TERN_SEARCH, default on).")
    String search;

    @Option(names = "--search-kinds", paramLabel = "K,K", defaultValue = "${env:TERN_SEARCH_KINDS:-}",
            description = "Kinds indexed besides 0 (name, display_name, about, nip05), 1 and 30023 (title, summary, "
                    + "content); their content is searched (env TERN_SEARCH_KINDS, default empty).")
    String kinds;

    /** The settings; IllegalArgumentException for a bad value. */
    SearchSettings settings(MemoryBudget budget, boolean bulk) {
        boolean on = switch (search.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "on", "true", "1" -> true;
            case "off", "false", "0" -> false;
            default -> throw new IllegalArgumentException("--search must be on or off, got '" + search + "'");
        };
        long mb = 1024L * 1024;
        return new SearchSettings(on, SearchSettings.kinds(kinds), budget.searchBufferMb() * mb, budget.searchQueueMb() * mb,
                bulk);
    }

    /** The index of the store in {@code dataDir}, or null when search is off. */
    static SearchIndex open(SearchSettings settings, Path dataDir, EventStore store) {
        return settings.enabled() ? SearchIndex.open(SearchIndex.directoryIn(dataDir), settings, store) : null;
    }
}
