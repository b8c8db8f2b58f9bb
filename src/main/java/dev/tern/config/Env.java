package dev.tern.config;

/** Process environment access in one place, so option defaults and tests read the same names. */
public final class Env {
    private Env() {}

    public static String get(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
