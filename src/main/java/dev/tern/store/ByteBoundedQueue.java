package dev.tern.store;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A FIFO queue bounded by the total byte size of its items. An item larger than the whole capacity is
 * admitted when the queue is empty, so nothing can wait forever. After {@link #close()} nothing new is
 * admitted, but what is queued can still be taken.
 */
public final class ByteBoundedQueue<T> {
    private record Item<T>(T value, long bytes) {}

    private final long capacity;
    private final ArrayDeque<Item<T>> items = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private long bytes;
    private boolean closed;

    public ByteBoundedQueue(long capacityBytes) {
        if (capacityBytes < 1) throw new IllegalArgumentException("queue capacity must be positive");
        this.capacity = capacityBytes;
    }

    /** Adds without waiting; false if the queue is full or closed. */
    public boolean offer(T value, long size) {
        lock.lock();
        try {
            if (closed || !fits(size)) return false;
            add(value, size);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Adds, waiting for room; throws IllegalStateException if the queue is or becomes closed. */
    public void put(T value, long size) throws InterruptedException {
        lock.lock();
        try {
            while (!closed && !fits(size)) notFull.await();
            if (closed) throw new IllegalStateException("queue is closed");
            add(value, size);
        } finally {
            lock.unlock();
        }
    }

    /** The head, waiting up to the timeout; null on timeout, or at once when closed and empty. */
    public T poll(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            while (items.isEmpty()) {
                if (closed || nanos <= 0) return null;
                nanos = notEmpty.awaitNanos(nanos);
            }
            return remove();
        } finally {
            lock.unlock();
        }
    }

    /** The head without waiting, or null. */
    public T pollNow() {
        lock.lock();
        try {
            return items.isEmpty() ? null : remove();
        } finally {
            lock.unlock();
        }
    }

    /** The head without removing it, or null. */
    public T peek() {
        lock.lock();
        try {
            Item<T> i = items.peekFirst();
            return i == null ? null : i.value;
        } finally {
            lock.unlock();
        }
    }

    public void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public boolean isClosedAndEmpty() {
        lock.lock();
        try {
            return closed && items.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    public long bytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    private boolean fits(long size) {
        return items.isEmpty() || bytes + size <= capacity;
    }

    private void add(T value, long size) {
        items.addLast(new Item<>(value, size));
        bytes += size;
        notEmpty.signal();
    }

    private T remove() {
        Item<T> i = items.removeFirst();
        bytes -= i.bytes;
        notFull.signalAll();
        return i.value;
    }
}
