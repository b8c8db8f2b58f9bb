package dev.tern.store;

import java.util.NoSuchElementException;
import java.util.Set;

/** Lookahead and resource handling shared by the cursors; subclasses produce the next json. */
abstract class AbstractCursor implements EventCursor, OpenRead {
    protected final ReadContext ctx;
    private final Set<OpenRead> registry;
    private byte[] next;
    private boolean done;
    private boolean closed;

    /** {@code registry}: the store's open cursors, which it closes before closing the DB. */
    AbstractCursor(ReadContext ctx, Set<OpenRead> registry) {
        this.ctx = ctx;
        this.registry = registry;
        registry.add(this);
    }

    /** The next event's json, or null at the end. */
    protected abstract byte[] advance();

    @Override
    public final boolean hasNext() {
        if (closed) return false;
        if (next != null) return true;
        if (done) return false;
        next = advance();
        if (next == null) done = true;
        return next != null;
    }

    @Override
    public final byte[] next() {
        if (!hasNext()) throw new NoSuchElementException();
        byte[] j = next;
        next = null;
        return j;
    }

    @Override
    public boolean truncated() {
        return false;
    }

    @Override
    public final long snapshotSequence() {
        return ctx.sequence();
    }

    @Override
    public final void close() {
        if (closed) return;
        closed = true;
        ctx.close();
        registry.remove(this);
    }
}
