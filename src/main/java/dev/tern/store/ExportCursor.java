package dev.tern.store;

import org.rocksdb.RocksIterator;

/**
 * Every stored event in serial (write) order: a stable order for export. Records of removed events that
 * wait for a purge (see {@code Reclaimer}) are skipped: their markers, in the same snapshot, are read
 * alongside in serial order.
 */
final class ExportCursor extends AbstractCursor {
    private final RocksIterator it;
    private final RocksIterator purge;

    ExportCursor(ReadContext ctx, java.util.Set<OpenRead> registry) {
        super(ctx, registry);
        it = ctx.iterator(ctx.cf.events());
        it.seekToFirst();
        purge = ctx.iterator(ctx.cf.meta());
        purge.seek(MetaKeys.PURGE_PREFIX);
    }

    @Override
    protected byte[] advance() {
        while (it.isValid()) {
            byte[] json = awaitsPurge(Keys.getLong(it.key(), 0)) ? null : it.value();
            it.next();
            if (json != null) return json;
        }
        return null;
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
