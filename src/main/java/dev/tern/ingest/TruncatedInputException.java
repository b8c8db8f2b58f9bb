package dev.tern.ingest;

import java.io.EOFException;

/** A compressed input ends before its end marker: the file was cut off (an interrupted download or copy). */
final class TruncatedInputException extends EOFException {
    TruncatedInputException(String message) {
        super(message);
    }
}
