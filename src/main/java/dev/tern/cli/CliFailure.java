package dev.tern.cli;

/**
 * A user's mistake or a taken resource, said in one line by {@link Main} as "tern COMMAND: message" and
 * ended with its exit code (README "Exit codes"), never with a stack trace.
 */
final class CliFailure extends RuntimeException {
    /** A usage error: a bad option value, or a data directory that holds no store. */
    static final int USAGE = 2;
    /** Something another process holds: the store's lock (a running relay) or the port. */
    static final int IN_USE = 3;

    final int exitCode;

    CliFailure(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }
}
