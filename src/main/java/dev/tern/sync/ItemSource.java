package dev.tern.sync;

/**
 * One side's set of items, read a range at a time: nothing is held between calls, so a set of any size costs
 * only what one scan holds. Both the store (whose indexes run newest first) and tests implement it.
 */
public interface ItemSource {
    /**
     * Calls {@code visitor} with every item in [lower, upper), newest first: created_at descending, then id
     * descending, until it returns false.
     */
    void scan(Bound lower, Bound upper, Visitor visitor) throws NegentropyException;

    @FunctionalInterface
    interface Visitor {
        boolean visit(Item item);
    }
}
