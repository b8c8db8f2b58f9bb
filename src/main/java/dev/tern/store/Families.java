package dev.tern.store;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;

/** The column family handles, by role. */
record Families(ColumnFamilyHandle events, ColumnFamilyHandle ids, ColumnFamilyHandle replace,
                ColumnFamilyHandle deleted, ColumnFamilyHandle expiry, ColumnFamilyHandle meta,
                Map<Index, ColumnFamilyHandle> indexes) {
    static final String EVENTS = "events";
    static final String IDS = "ids";
    static final String REPLACE = "replace";
    static final String DELETED = "deleted";
    static final String EXPIRY = "expiry";
    static final String META = "meta";

    ColumnFamilyHandle index(Index index) {
        return indexes.get(index);
    }

    /** Every handle except the default family's. */
    List<ColumnFamilyHandle> all() {
        List<ColumnFamilyHandle> all = new java.util.ArrayList<>(List.of(events, ids, replace, deleted, expiry, meta));
        all.addAll(indexes.values());
        return all;
    }

    /** The handles RocksDB returned for {@code descriptors}, in the same order, assigned by family name. */
    static Families of(List<ColumnFamilyDescriptor> descriptors, List<ColumnFamilyHandle> handles) {
        Map<String, ColumnFamilyHandle> byName = new HashMap<>();
        for (int i = 0; i < descriptors.size(); i++) {
            byName.put(new String(descriptors.get(i).getName(), StandardCharsets.UTF_8), handles.get(i));
        }
        Map<Index, ColumnFamilyHandle> indexes = new EnumMap<>(Index.class);
        for (Index index : Index.values()) indexes.put(index, byName.get(index.family));
        return new Families(byName.get(EVENTS), byName.get(IDS), byName.get(REPLACE), byName.get(DELETED),
                byName.get(EXPIRY), byName.get(META), indexes);
    }
}
