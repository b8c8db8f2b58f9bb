package dev.tern.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Hex;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NegentropyTest {
    private static final SortedItems EMPTY = new SortedItems(List.of());

    @Test
    void varintsAreBase128MostSignificantFirst() {
        assertEquals("00", varint(0));
        assertEquals("7f", varint(127));
        assertEquals("8100", varint(128));
        assertEquals("822c", varint(300));
        assertEquals("ffffffffffffffff7f", varint(Long.MAX_VALUE));
    }

    @Test
    void fingerprintSumsIdsLittleEndianModulo2To256() throws Exception {
        Fingerprint fp = new Fingerprint();
        byte[] max = new byte[32];
        Arrays.fill(max, (byte) 0xff);
        byte[] one = new byte[32];
        one[0] = 1; // little-endian 1: the sum wraps to zero through every carry
        fp.add(max);
        fp.add(one);
        byte[] expected = new byte[33];
        expected[32] = 2; // 32 zero bytes, then varint(2)
        assertArrayEquals(Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(expected), 16), fp.digest());
    }

    @Test
    void boundsOrderItemsByTimestampThenIdPrefix() {
        byte[] id = new byte[32];
        id[0] = 0x10;
        Item item = new Item(5, id);
        assertTrue(new Bound(6, new byte[0]).isAbove(item));
        assertTrue(!new Bound(5, new byte[0]).isAbove(item));
        assertTrue(new Bound(5, new byte[] {0x11}).isAbove(item));
        assertTrue(!new Bound(5, new byte[] {0x10}).isAbove(item)); // equal prefix, zeros after: not above
        assertTrue(Bound.INFINITY.isAbove(item));
        byte[] next = id.clone();
        next[1] = 1;
        assertEquals(new Bound(5, new byte[] {0x10, 0x01}), Bound.between(item, new Item(5, next)));
        assertEquals(new Bound(9, new byte[0]), Bound.between(item, new Item(9, next)));
    }

    @Test
    void anEmptySetOpensWithAnEmptyIdList() throws Exception {
        // version, bound (infinity: timestamp 0, prefix length 0), mode IdList, 0 ids
        assertEquals("6100000200", Hex.encode(new Negentropy(EMPTY, 4096).initiate()));
    }

    @Test
    void theInitiatorLearnsWhatEachSideLacksFromAnIdList() throws Exception {
        List<Item> a = NegentropyProperties.items(new Random(1), 5, 10);
        List<Item> b = NegentropyProperties.items(new Random(2), 3, 10);
        var found = NegentropyProperties.reconcile(new SortedItems(a), new SortedItems(b), 4096);
        assertEquals(5, found.have().size());
        assertEquals(3, found.need().size());
        assertEquals(1, found.rounds());
    }

    @Test
    void everyMalformedMessageIsRefusedWithAReason() {
        Negentropy server = new Negentropy(EMPTY, 4096);
        assertRefused(server, "", "empty");
        assertRefused(server, "62", "version 0x62");
        assertRefused(server, "6100", "ends in the middle");
        assertRefused(server, "610000" + "05", "unknown negentropy range mode 5");
        assertRefused(server, "6100" + "21" + "00".repeat(33) + "00", "longer than 32 bytes");
        assertRefused(server, "6100000205" + "00".repeat(64), "id list longer than the message");
        assertRefused(server, "61000001" + "00".repeat(15), "ends in the middle");
        assertRefused(server, "61" + "ff".repeat(11) + "0000", "varint");
    }

    @Test
    void boundsGoingBackwardsAreRefused() {
        // first bound: timestamp 4 (encoded 5) with prefix 0x01; second: timestamp 4 with no prefix, below it
        assertRefused(new Negentropy(EMPTY, 4096), "61" + "050101" + "00" + "0100" + "00", "out of order");
    }

    private static void assertRefused(Negentropy n, String hex, String reasonPart) {
        NegentropyException e = assertThrows(NegentropyException.class, () -> n.respond(Hex.decode(hex)));
        assertTrue(e.getMessage().startsWith("invalid: "), e.getMessage());
        assertTrue(e.getMessage().contains(reasonPart), e.getMessage() + " lacks " + reasonPart);
    }

    private static String varint(long v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Varint.write(out, v);
        return Hex.encode(out.toByteArray());
    }
}
