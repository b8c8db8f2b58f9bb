package dev.tern.filter;

/**
 * The outcome of parsing a filter or a list of filters: the value, or a message ready for a NIP-01
 * CLOSED/NOTICE, starting with a machine-readable prefix ({@code invalid:} or {@code unsupported:}).
 */
public sealed interface FilterResult<T> {
    record Ok<T>(T value) implements FilterResult<T> {}

    record Error<T>(String message) implements FilterResult<T> {}
}
