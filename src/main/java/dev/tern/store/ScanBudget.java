package dev.tern.store;

/** The keys one query may still visit ({@link StoreConfig#maxScannedKeys()}); records whether it ran out. */
final class ScanBudget {
    private long left;
    private boolean exhausted;

    ScanBudget(long keys) {
        this.left = keys;
    }

    static ScanBudget unlimited() {
        return new ScanBudget(Long.MAX_VALUE);
    }

    /** Takes one key; false (and exhausted from then on) when none is left. */
    boolean take() {
        if (left <= 0) {
            exhausted = true;
            return false;
        }
        left--;
        return true;
    }

    boolean exhausted() {
        return exhausted;
    }
}
