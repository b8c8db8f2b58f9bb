package dev.tern.store;

import java.util.Arrays;
import java.util.Comparator;

/** A matching event in result order: created_at descending, then id ascending (NIP-01 "limit"). */
record Hit(long createdAt, byte[] id, byte[] json) {
    static final Comparator<Hit> RESULT_ORDER = (a, b) -> {
        int c = Long.compare(b.createdAt, a.createdAt);
        return c != 0 ? c : Arrays.compareUnsigned(a.id, b.id);
    };
}
