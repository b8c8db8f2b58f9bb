package dev.tern.acl;

/** The answer to "may this happen?": allowed, or denied with a message carrying its NIP-01/NIP-42 prefix. */
public sealed interface Decision {
    Allow ALLOW = new Allow();

    record Allow() implements Decision {}

    /** {@code message} starts with a machine-readable prefix: {@code invalid:}, {@code blocked:}, {@code restricted:}, {@code auth-required:} or {@code rate-limited:}. */
    record Deny(String message) implements Decision {}

    static Deny invalid(String detail) { return new Deny("invalid: " + detail); }

    static Deny blocked(String detail) { return new Deny("blocked: " + detail); }

    static Deny restricted(String detail) { return new Deny("restricted: " + detail); }

    static Deny authRequired(String detail) { return new Deny("auth-required: " + detail); }

    static Deny rateLimited(String detail) { return new Deny("rate-limited: " + detail); }

    default boolean allowed() { return this instanceof Allow; }
}
