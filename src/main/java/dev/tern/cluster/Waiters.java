package dev.tern.cluster;

import dev.tern.acl.Nip86Handler;
import dev.tern.event.ByteKey;
import dev.tern.store.WriteOutcome;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this node's clients wait for: the outcome of each event they sent to the log, by event id, and the
 * response of each NIP-86 call, by its entry's message id. The applier completes them as it applies the
 * entries; an event sent twice at once shares one wait.
 */
final class Waiters {
    private final ConcurrentHashMap<ByteKey, CompletableFuture<WriteOutcome>> events = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<Nip86Handler.Response>> calls = new ConcurrentHashMap<>();

    CompletableFuture<WriteOutcome> event(ByteKey id) {
        return events.computeIfAbsent(id, k -> new CompletableFuture<>());
    }

    /** The applier's answer for the event {@code id}: whoever waits for it hears the outcome. */
    void applied(ByteKey id, WriteOutcome outcome) {
        CompletableFuture<WriteOutcome> f = events.remove(id);
        if (f != null) f.complete(outcome);
    }

    /** The applier refused the event {@code id} (a NIP-86 ban earlier in the log): whoever waits for it hears why. */
    void refused(ByteKey id, Throwable why) {
        CompletableFuture<WriteOutcome> f = events.remove(id);
        if (f != null) f.completeExceptionally(why);
    }

    /** The wait {@code f} for {@code id} ends without the applier (refused, timed out, or applied long before). */
    void end(ByteKey id, CompletableFuture<WriteOutcome> f, WriteOutcome outcome, Throwable failure) {
        events.remove(id, f);
        if (failure == null) f.complete(outcome);
        else f.completeExceptionally(failure);
    }

    CompletableFuture<Nip86Handler.Response> call(String messageId) {
        return calls.computeIfAbsent(messageId, k -> new CompletableFuture<>());
    }

    void called(String messageId, Nip86Handler.Response response) {
        CompletableFuture<Nip86Handler.Response> f = calls.remove(messageId);
        if (f != null) f.complete(response);
    }

    void endCall(String messageId, CompletableFuture<Nip86Handler.Response> f, Nip86Handler.Response response) {
        calls.remove(messageId, f);
        f.complete(response);
    }

    int size() {
        return events.size() + calls.size();
    }
}
