package dev.tern.store;

import java.util.Objects;

/**
 * A meta key/value put in the same WriteBatch as the events it accompanies, so it is durable exactly
 * when they are (e.g. an import's last committed input offset).
 */
public record Checkpoint(String key, byte[] value) {
    public Checkpoint {
        MetaKeys.requireUserKey(key);
        Objects.requireNonNull(value, "value");
    }
}
