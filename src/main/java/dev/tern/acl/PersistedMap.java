package dev.tern.acl;

import dev.tern.json.Json;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A map from keys to a note (a ban reason, a setting's value) held in memory for lock-free reads and
 * written through to one meta value as a JSON object on every change (loaded from {@link MetaStore}, written
 * through the {@link MetaWriter} each change is given). The lists are edited by hand
 * through NIP-86, so rewriting a whole list on a change is cheap; {@code maxEntries} bounds each one.
 */
final class PersistedMap<K> {
    private final MetaStore meta;
    private final String metaKey;
    private final String label;
    private final int maxEntries;
    private final Function<K, String> encode;
    private final Function<String, K> decode;
    private volatile Map<K, String> entries;

    PersistedMap(MetaStore meta, String metaKey, String label, int maxEntries,
                 Function<K, String> encode, Function<String, K> decode) {
        this.meta = meta;
        this.metaKey = metaKey;
        this.label = label;
        this.maxEntries = maxEntries;
        this.encode = encode;
        this.decode = decode;
        this.entries = load();
    }

    boolean contains(K key) {
        return entries.containsKey(key);
    }

    String get(K key) {
        return entries.get(key);
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Entries in insertion order; an unmodifiable snapshot. */
    Map<K, String> entries() {
        return entries;
    }

    /** Adds or updates {@code key}, written through {@code to}; throws IllegalStateException if the list is full. */
    synchronized void put(MetaWriter to, K key, String note) {
        if (!entries.containsKey(key) && entries.size() >= maxEntries) {
            throw new IllegalStateException("the list of " + label + " is full (" + maxEntries + " entries, TERN_ACL_MAX_ENTRIES)");
        }
        Map<K, String> next = new LinkedHashMap<>(entries);
        next.put(key, note == null ? "" : note);
        save(to, next);
    }

    /** Removes {@code key}, written through {@code to}; returns whether it was there. */
    synchronized boolean remove(MetaWriter to, K key) {
        if (!entries.containsKey(key)) return false;
        Map<K, String> next = new LinkedHashMap<>(entries);
        next.remove(key);
        save(to, next);
        return true;
    }

    private void save(MetaWriter to, Map<K, String> next) {
        to.put(metaKey, Json.bytes(g -> {
            g.writeStartObject();
            for (Map.Entry<K, String> e : next.entrySet()) g.writeStringField(encode.apply(e.getKey()), e.getValue());
            g.writeEndObject();
        }));
        entries = Collections.unmodifiableMap(next);
    }

    private Map<K, String> load() {
        byte[] data = meta.get(metaKey);
        Map<K, String> loaded = new LinkedHashMap<>();
        if (data == null) return Collections.unmodifiableMap(loaded);
        try (JsonParser p = Json.parser(data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw corrupt("not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String k = p.currentName();
                if (p.nextToken() != JsonToken.VALUE_STRING) throw corrupt("value of '" + k + "' is not a string");
                try {
                    loaded.put(decode.apply(k), p.getText());
                } catch (IllegalArgumentException e) {
                    throw corrupt("bad entry '" + k + "': " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw corrupt(e.getMessage());
        }
        return Collections.unmodifiableMap(loaded);
    }

    private IllegalStateException corrupt(String why) {
        return new IllegalStateException("stored " + label + " (meta key " + metaKey + ") are unreadable: " + why);
    }
}
