package dev.tern.store;

import org.rocksdb.RocksIterator;

/**
 * Every stored event in serial (write) order: a stable order for export. Records of removed events that
 * wait for a purge (see {@code Reclaimer}) are skipped: their markers, in the same snapshot, are read
 * alongside in serial order. Expired events (NIP-40) not yet swept are skipped too. Events the reader's
 * {@link Visibility} hides are skipped; only those of a kind it may hide are parsed to decide, the kind
 * being read from the stored form's fixed prefix.
 */
final class ExportCursor extends AbstractCursor implements SerialCursor {
    private final RocksIterator it;
    private final RocksIterator purge;
    private final Visibility visibility;
    private long serial = -1;

    /** From the first stored serial at or after {@code fromSerial}, as {@code visibility} shows them. */
    ExportCursor(ReadContext ctx, java.util.Set<OpenRead> registry, long fromSerial, Visibility visibility) {
        super(ctx, registry);
        this.visibility = visibility;
        it = ctx.iterator(ctx.cf.events());
        it.seek(Keys.serial(fromSerial));
        purge = ctx.iterator(ctx.cf.meta());
        purge.seek(MetaKeys.serialMarker(MetaKeys.PURGE_PREFIX, fromSerial));
    }

    @Override
    protected byte[] advance() {
        while (it.isValid()) {
            long s = Keys.getLong(it.key(), 0);
            byte[] json = awaitsPurge(s) || ctx.expired(s) ? null : it.value();
            it.next();
            if (json != null && (visibility == Visibility.ALL || !visibility.mayHideKind(StoredJson.kind(json))
                    || visibility.visible(ctx.event(json)))) {
                serial = s;
                return json;
            }
        }
        return null;
    }

    /** The serial of the event last read by {@link #hasNext} (the one {@link #next} returns next, or returned). */
    @Override
    public long serial() {
        return serial;
    }

    private boolean awaitsPurge(long serial) {
        while (purge.isValid() && Keys.startsWith(purge.key(), MetaKeys.PURGE_PREFIX)) {
            long marked = MetaKeys.serialOfMarker(purge.key());
            if (marked >= serial) return marked == serial;
            purge.next();
        }
        return false;
    }
}
