package dev.tern.ingest;

import dev.tern.filter.Filter;
import dev.tern.filter.FilterLimits;
import dev.tern.filter.FilterParser;
import dev.tern.filter.FilterResult;
import dev.tern.store.EventStore;
import dev.tern.store.Visibility;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * One export as `tern export` and {@code GET /api/export} both ask for it: a filter (null = every event,
 * in write order, the fastest path) and whether the output is gzip-compressed.
 */
public record ExportRequest(Filter filter, boolean gzip) {
    private static final FilterParser PARSER = new FilterParser(FilterLimits.EXPORT);
    private static final int GZIP_BUFFER_BYTES = 1 << 16;

    /**
     * The request for a NIP-01 filter {@code filterJson} (null or blank: none) narrowed by {@code since} and
     * {@code until} (null: the filter's own bound). Throws IllegalArgumentException naming a bad filter.
     */
    public static ExportRequest of(String filterJson, Long since, Long until, boolean gzip) {
        Filter f = null;
        if (filterJson != null && !filterJson.isBlank()) {
            f = switch (PARSER.parse(filterJson)) {
                case FilterResult.Ok<Filter> ok -> ok.value();
                case FilterResult.Error<Filter> err -> throw new IllegalArgumentException("filter: " + err.message());
            };
        }
        if (since != null || until != null) f = (f == null ? Filter.ALL : f).withBounds(since, until);
        return new ExportRequest(f, gzip);
    }

    /** {@code out} as this export writes to it: compressed if asked. Closing the result finishes the gzip stream. */
    public OutputStream encode(OutputStream out) throws IOException {
        return gzip ? new GZIPOutputStream(out, GZIP_BUFFER_BYTES) : out;
    }

    /**
     * Writes the matching events {@code visibility} shows to {@code out} (from {@link #encode}) and flushes it;
     * returns how many.
     */
    public long write(EventStore store, Visibility visibility, OutputStream out) throws IOException {
        return EventExport.write(store, filter, visibility, out);
    }
}
