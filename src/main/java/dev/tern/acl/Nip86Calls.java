package dev.tern.acl;

import dev.tern.event.ByteKey;
import dev.tern.store.StoreMutations;
import java.util.function.Consumer;

/**
 * Where NIP-86 calls are carried out: as a task on this node's store writer, or in cluster mode through the
 * shared log, so that every node's writer applies the same decision in the same place among the writes.
 */
@FunctionalInterface
public interface Nip86Calls {
    /** A call's effect, run on a writer thread with its mutations: the same on every node that applies it. */
    @FunctionalInterface
    interface Effect {
        Nip86Handler.Response apply(StoreMutations store, byte[] body, ByteKey admin);
    }

    /** Queues {@code admin}'s call {@code body}; false if there is no room now. {@code answer} gets the response. */
    boolean submit(byte[] body, ByteKey admin, Consumer<Nip86Handler.Response> answer);
}
