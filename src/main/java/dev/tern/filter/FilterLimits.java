package dev.tern.filter;

/** Caps applied while parsing filters, so one REQ cannot make the relay hold or scan unbounded lists. */
public record FilterLimits(int maxValuesPerList) {
    /** An export's filter (CLI or admin API) is the owner's: its lists are bounded only by the request's size. */
    public static final FilterLimits EXPORT = new FilterLimits(100_000);

    public FilterLimits {
        if (maxValuesPerList < 1) throw new IllegalArgumentException("maxValuesPerList must be at least 1, got " + maxValuesPerList);
    }
}
