package dev.tern.sync;

/** Which way `tern sync` moves events: down fetches what tern lacks, up sends what the remote lacks. */
public enum Direction {
    DOWN, UP, BOTH;

    boolean down() {
        return this != UP;
    }

    boolean up() {
        return this != DOWN;
    }
}
