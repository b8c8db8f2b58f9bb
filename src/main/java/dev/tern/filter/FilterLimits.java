package dev.tern.filter;

/** Caps applied while parsing filters, so one REQ cannot make the relay hold or scan unbounded lists. */
public record FilterLimits(int maxValuesPerList) {
    public FilterLimits {
        if (maxValuesPerList < 1) throw new IllegalArgumentException("maxValuesPerList must be at least 1, got " + maxValuesPerList);
    }
}
