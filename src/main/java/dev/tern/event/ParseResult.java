package dev.tern.event;

/** The outcome of parsing one event: the event, or why it was refused. */
public sealed interface ParseResult {
    record Parsed(Event event) implements ParseResult {}

    record Rejected(Rejection rejection) implements ParseResult {}
}
