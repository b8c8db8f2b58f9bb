package dev.tern.store;

/** The secondary indexes; each is a column family of keys {@code prefix + ~created_at + serial}. */
public enum Index {
    /** prefix: pubkey (32) + kind (2). */
    AUTHOR_KIND("idx_author_kind", false),
    /** prefix: letter (1) + tag value (see {@link Keys#tagPrefix}); value: the event's kind (2). */
    TAG("idx_tag", true),
    /** prefix: pubkey (32). */
    AUTHOR("idx_author", false),
    /** prefix: kind (2). */
    KIND("idx_kind", false),
    /** prefix: none; value: the event's kind (2) and id (32), empty in stores written before it. */
    CREATED_AT("idx_created_at", true);

    final String family;
    /** The values of this index start with the event's kind (when they are not empty). */
    final boolean kindInValue;

    Index(String family, boolean kindInValue) {
        this.family = family;
        this.kindInValue = kindInValue;
    }
}
