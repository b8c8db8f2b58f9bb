package dev.tern.acl;

import dev.tern.event.ByteKey;

/** Removes a stored event by id; in the relay the store writer's own removal ({@link dev.tern.store.StoreMutations#remove}). */
@FunctionalInterface
public interface EventDeleter {
    void delete(ByteKey id);
}
