package dev.tern.store;

import dev.tern.json.Json;
import java.util.Map;
import java.util.SortedMap;

/**
 * Store figures: exact event counts (total and per kind, kept in the {@code meta} family by every
 * batch), bytes on disk, the records of removed events still on it (waiting for a purge, see
 * {@code Reclaimer}), and RocksDB's own accounting of its memory.
 */
public record StoreStats(long events, SortedMap<Integer, Long> eventsByKind, long diskBytes, long removedAwaitingPurge,
                         long blockCacheCapacity, long blockCacheUsage, long blockCachePinned,
                         long memtableBytes, long tableReaderBytes) {

    public String toJson() {
        return Json.string(g -> {
            g.writeStartObject();
            g.writeNumberField("events", events);
            g.writeObjectFieldStart("events_by_kind");
            for (Map.Entry<Integer, Long> e : eventsByKind.entrySet()) g.writeNumberField(e.getKey().toString(), e.getValue());
            g.writeEndObject();
            g.writeNumberField("disk_bytes", diskBytes);
            g.writeNumberField("removed_awaiting_purge", removedAwaitingPurge);
            g.writeObjectFieldStart("memory");
            g.writeNumberField("block_cache_capacity", blockCacheCapacity);
            g.writeNumberField("block_cache_usage", blockCacheUsage);
            g.writeNumberField("block_cache_pinned", blockCachePinned);
            g.writeNumberField("memtables", memtableBytes);
            g.writeNumberField("table_readers", tableReaderBytes);
            g.writeEndObject();
            g.writeEndObject();
        });
    }
}
