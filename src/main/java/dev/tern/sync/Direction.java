package dev.tern.sync;

/** Which way `tern sync` moves events: down fetches what tern lacks, up sends what the remote lacks. */
public enum Direction {
    DOWN, UP, BOTH;

    public boolean down() {
        return this != UP;
    }

    public boolean up() {
        return this != DOWN;
    }
}
