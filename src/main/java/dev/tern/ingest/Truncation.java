package dev.tern.ingest;

/**
 * Where an input was cut off: every line up to {@code afterLine} was whole and imported, nothing after it
 * exists. {@code why} says how it shows: a compressed stream without its end, or a last line without a line end
 * that is not complete JSON (a plain file cut mid-line). Importing the same file again cannot add more.
 */
public record Truncation(long afterLine, String why) {
    static final String CUT_LAST_LINE = "its last line has no line end and is not complete JSON";

    public String describe() {
        return "the input is truncated (" + why + "): the lines up to line " + afterLine
                + " were imported, the rest is missing";
    }
}
