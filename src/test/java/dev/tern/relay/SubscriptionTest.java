package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import dev.tern.filter.Filter;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SubscriptionTest {
    private static final KeyPair K = KeyPair.generate(new Random(3));

    private static Event event(int kind, String content) {
        return Signer.sign(K, 1_700_000_000L, kind, List.of(), content);
    }

    /**
     * A live event held during the replay is sent after EOSE only if its commit came after the snapshot
     * the stored events were read from; otherwise the client already has it as a stored event.
     */
    @Test
    void drainKeepsOnlyWhatTheSnapshotDidNotHold() {
        Subscription sub = new Subscription(null, "s", List.of(Filter.ALL));
        Event before = event(1, "committed before the snapshot");
        Event after = event(1, "committed after the snapshot");
        Event ephemeral = event(20001, "never stored");
        assertTrue(sub.hold(before, 5, 1 << 20));
        assertTrue(sub.hold(ephemeral, 5, 1 << 20));
        assertTrue(sub.hold(after, 9, 1 << 20));
        sub.storedUpTo = 5;
        assertEquals(List.of(ephemeral, after), sub.drainPending());
        assertEquals(List.of(), sub.drainPending());
    }

    /** The fan-out of an event can reach the loop after EOSE when the query read it first: it was sent then. */
    @Test
    void anEventCommittedUpToTheSnapshotWasSentAsStored() {
        Subscription sub = new Subscription(null, "s", List.of(Filter.ALL));
        sub.storedUpTo = 5;
        assertTrue(sub.sentAsStored(event(1, "committed at the snapshot"), 5));
        assertTrue(sub.sentAsStored(event(1, "committed before it"), 4));
        assertFalse(sub.sentAsStored(event(1, "committed after it"), 6));
        assertFalse(sub.sentAsStored(event(20001, "ephemeral, never stored"), 5));
        assertFalse(new Subscription(null, "t", List.of(Filter.ALL)).sentAsStored(event(1, "no stored events read yet"), 0),
                "a REQ that read nothing has no snapshot");
    }

    @Test
    void holdIsBoundedInBytes() {
        Subscription sub = new Subscription(null, "s", List.of(Filter.ALL));
        Event e = event(1, "x");
        assertFalse(sub.hold(e, 1, e.json().length - 1));
        assertTrue(sub.hold(e, 1, e.json().length));
    }
}
