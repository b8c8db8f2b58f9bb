package dev.tern.store;

import org.rocksdb.RocksIterator;

/** Every stored event in serial (write) order: a stable order for export. */
final class ExportCursor extends AbstractCursor {
    private final RocksIterator it;

    ExportCursor(ReadContext ctx, java.util.Set<AbstractCursor> registry) {
        super(ctx, registry);
        it = ctx.iterator(ctx.cf.events());
        it.seekToFirst();
    }

    @Override
    protected byte[] advance() {
        if (!it.isValid()) return null;
        byte[] json = it.value();
        it.next();
        return json;
    }
}
