package dev.tern.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.ByteKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Two sides with random overlapping sets (many equal timestamps, so bounds need id prefixes) reconcile until
 * the initiator's message is empty, and the differences they report are exactly the symmetric difference.
 */
class NegentropyProperties {

    @Property(tries = 200)
    void reconciliationFindsExactlyTheSymmetricDifference(@ForAll long seed, @ForAll @IntRange(max = 3000) int shared,
                                                          @ForAll @IntRange(max = 300) int onlyClient,
                                                          @ForAll @IntRange(max = 300) int onlyServer,
                                                          @ForAll boolean smallFrames,
                                                          @ForAll @IntRange(min = 2, max = 64) int checkpoints) throws NegentropyException {
        Random r = new Random(seed);
        int spread = 1 + r.nextInt(2000); // a narrow spread puts many items on one timestamp
        List<Item> common = items(r, shared, spread);
        List<Item> clientOnly = items(r, onlyClient, spread);
        List<Item> serverOnly = items(r, onlyServer, spread);
        List<Item> clientSet = new ArrayList<>(common);
        clientSet.addAll(clientOnly);
        List<Item> serverSet = new ArrayList<>(common);
        serverSet.addAll(serverOnly);
        int frame = smallFrames ? Negentropy.MIN_FRAME_SIZE : 500_000;

        Found found = reconcile(new SortedItems(clientSet), new SortedItems(serverSet), frame, checkpoints);

        assertEquals(ids(clientOnly), new HashSet<>(found.have));
        assertEquals(ids(serverOnly), new HashSet<>(found.need));
        if (!smallFrames) { // without a frame limit nothing is covered twice, so nothing is reported twice
            assertEquals(found.have.size(), new HashSet<>(found.have).size());
            assertEquals(found.need.size(), new HashSet<>(found.need).size());
        }
    }

    @Property(tries = 50)
    void identicalSetsNeedOneRound(@ForAll long seed, @ForAll @IntRange(max = 5000) int n) throws NegentropyException {
        List<Item> same = items(new Random(seed), n, 100_000);
        Found found = reconcile(new SortedItems(same), new SortedItems(same), 500_000);
        assertTrue(found.have.isEmpty() && found.need.isEmpty());
        assertEquals(1, found.rounds);
    }

    record Found(List<ByteKey> have, List<ByteKey> need, int rounds) {}

    static Found reconcile(ItemSource client, ItemSource server, int frame) throws NegentropyException {
        return reconcile(client, server, frame, Negentropy.MAX_CHECKPOINTS);
    }

    /** {@code checkpoints}: few make wide intervals and splits at checkpoints with fewer than 16 buckets. */
    static Found reconcile(ItemSource client, ItemSource server, int frame, int checkpoints) throws NegentropyException {
        Negentropy initiator = new Negentropy(client, frame, checkpoints);
        Negentropy responder = new Negentropy(server, frame, checkpoints);
        List<ByteKey> have = new ArrayList<>(), need = new ArrayList<>();
        Negentropy.Differences diff = new Negentropy.Differences() {
            public void have(byte[] id) { have.add(ByteKey.of(id)); }
            public void need(byte[] id) { need.add(ByteKey.of(id)); }
        };
        byte[] msg = initiator.initiate();
        int rounds = 0;
        while (msg != null) {
            assertTrue(msg.length <= frame, "message of " + msg.length + " bytes over the frame limit " + frame);
            byte[] answer = responder.respond(msg);
            assertTrue(answer.length <= frame, "answer of " + answer.length + " bytes over the frame limit " + frame);
            msg = initiator.reconcile(answer, diff);
            assertTrue(++rounds < 200, "reconciliation does not end");
        }
        return new Found(have, need, rounds);
    }

    static List<Item> items(Random r, int n, int spread) {
        List<Item> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] id = new byte[32];
            r.nextBytes(id);
            if (r.nextInt(4) == 0) id[0] = 0; // shared leading bytes make longer bound prefixes
            out.add(new Item(1_700_000_000L + r.nextInt(spread), id));
        }
        return out;
    }

    private static Set<ByteKey> ids(List<Item> items) {
        Set<ByteKey> s = new HashSet<>();
        for (Item i : items) s.add(ByteKey.of(i.id()));
        return s;
    }
}
