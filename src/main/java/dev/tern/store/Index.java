package dev.tern.store;

/** The secondary indexes; each is a column family of keys {@code prefix + ~created_at + serial}. */
public enum Index {
    /** prefix: pubkey (32) + kind (2). */
    AUTHOR_KIND("idx_author_kind"),
    /** prefix: letter (1) + tag value (see {@link Keys#tagPrefix}); value: the event's kind (2). */
    TAG("idx_tag"),
    /** prefix: pubkey (32). */
    AUTHOR("idx_author"),
    /** prefix: kind (2). */
    KIND("idx_kind"),
    /** prefix: none. */
    CREATED_AT("idx_created_at");

    final String family;

    Index(String family) {
        this.family = family;
    }
}
