package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.EventJson;
import dev.tern.event.Hex;
import dev.tern.filter.Filter;
import dev.tern.testing.NodeClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NIP-45 HyperLogLog: the offset and register rules, and the registers nostr-tools computes from the same events. */
class HllTest {
    private static final String ID = "0123456789abcdef0123456789abcdef" + "c" + "0123456789abcdef0123456789abcde";

    private static Filter tagged(Map<Character, Set<String>> tags) {
        return new Filter(null, null, Set.of(7), tags, null, null, null);
    }

    @Test
    void theOffsetIsTheHexDigitAtPosition32PlusEight() {
        assertEquals(12 + 8, Hll.offsetOf(ID), "an id or pubkey as it is");
        assertEquals(12 + 8, Hll.offsetOf("30023:" + ID + ":my-article"), "an address: its pubkey");
        // sha256("hello") = 2cf24dba5fb0a30e26e83b2ac5b9e29e 1b161e5c...: anything else is hashed
        assertEquals(1 + 8, Hll.offsetOf("hello"));
        String upper = ID.toUpperCase();
        String hashed = Hex.encode(EventJson.sha256(upper.getBytes(StandardCharsets.UTF_8)));
        assertEquals(Character.digit(hashed.charAt(32), 16) + 8, Hll.offsetOf(upper), "upper-case hex is not an id: it is hashed");
    }

    @Test
    void aPubkeyRaisesTheRegisterItsOffsetBytePicks() {
        Hll hll = new Hll(10);
        byte[] pubkey = new byte[32];
        Arrays.fill(pubkey, (byte) 0xff);
        pubkey[10] = 5;
        pubkey[11] = 0;
        pubkey[12] = 0x10; // 8 + 3 leading zero bits after the offset byte
        hll.add(pubkey);
        byte[] lower = pubkey.clone();
        lower[11] = 0x01; // 7 zero bits: smaller, the register keeps 12
        hll.add(lower);
        String hex = hll.hex();
        assertEquals(512, hex.length());
        assertEquals("0c", hex.substring(10, 12));
        assertEquals("00".repeat(5), hex.substring(0, 10));
        Hll zeros = new Hll(8);
        zeros.add(new byte[32]);
        assertEquals(String.format("%02x", 23 * 8 + 1), zeros.hex().substring(0, 2), "all zero after the offset byte");
    }

    @Test
    void onlyOneFilterWithOneTagValueGetsAnHll() {
        assertNotNull(Hll.forFilters(List.of(tagged(Map.of('e', Set.of(ID))))));
        assertNull(Hll.forFilters(List.of(tagged(Map.of()))), "no tag attribute: not defined");
        assertNull(Hll.forFilters(List.of(tagged(Map.of('e', Set.of(ID, "x"))))), "the first of several values is unknown");
        assertNull(Hll.forFilters(List.of(tagged(Map.of('e', Set.of(ID), 'p', Set.of(ID))))), "the first attribute is unknown");
        assertNull(Hll.forFilters(List.of(tagged(Map.of('e', Set.of(ID))), tagged(Map.of('e', Set.of(ID))))));
    }

    @Test
    void nostrToolsComputesTheSameRegisters(@TempDir Path dir) throws Exception {
        NodeClients.require();
        try (TestRelay relay = TestRelay.start(dir)) {
            NodeClients.Result r = NodeClients.run(Duration.ofSeconds(60), "count-hll.mjs", relay.ws().toString()).assertSucceeded();
            assertTrue(r.output().startsWith("ok "), r.output());
        }
    }
}
