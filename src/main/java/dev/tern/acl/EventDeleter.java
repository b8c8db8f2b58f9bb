package dev.tern.acl;

import dev.tern.event.ByteKey;

/** Removes a stored event by id through the store's single writer; returns once the removal is committed. */
@FunctionalInterface
public interface EventDeleter {
    void delete(ByteKey id);
}
