package dev.tern.sync.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.sync.Direction;
import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MirrorSpecTest {

    @Test
    void peersWithDirectionsAndFilters() {
        List<MirrorPeer> peers = MirrorSpec.parse(" wss://a.example both; ws://127.0.0.1:7777 {\"kinds\":[0,1,3]}\n"
                + "wss://c.example/path UP {\"#t\":[\"x;y\"]} ;; ");
        assertEquals(3, peers.size());
        assertEquals(URI.create("wss://a.example"), peers.get(0).url());
        assertEquals(Direction.BOTH, peers.get(0).direction());
        assertEquals("{}", peers.get(0).filterJson());
        assertEquals(Direction.DOWN, peers.get(1).direction()); // the default
        assertEquals(Set.of(0, 1, 3), peers.get(1).filter().kinds());
        assertEquals(Direction.UP, peers.get(2).direction());
        assertEquals(Set.of("x;y"), peers.get(2).filter().tags().get('t')); // a ';' inside a JSON string does not split
    }

    @Test
    void emptyMeansNoPeers() {
        assertEquals(List.of(), MirrorSpec.parse(""));
        assertEquals(List.of(), MirrorSpec.parse(" ; \n "));
    }

    @Test
    void eachMistakeIsOneLineNamingThePeer() {
        assertMistake("http://a.example", "TERN_MIRROR peer 1 (http://a.example): the URL must be ws:// or wss:// with a host");
        assertMistake("wss://a.example; wss://b.example sideways", "TERN_MIRROR peer 2 (wss://b.example sideways): direction must be down, up or both, got sideways");
        assertMistake("wss://a.example down {\"kinds\":\"1\"}", "TERN_MIRROR peer 1");
        assertMistake("wss://a.example down {\"kinds\":[1]", "filter:");
        assertMistake("wss://a.example down extra", "expected URL [down|up|both] [FILTER]");
        assertMistake("wss://a.example; wss://a.example up", "TERN_MIRROR names wss://a.example twice");
        assertMistake("wss://[a", "not a URL");
    }

    private static void assertMistake(String spec, String expected) {
        String message = assertThrows(IllegalArgumentException.class, () -> MirrorSpec.parse(spec)).getMessage();
        assertTrue(message.contains(expected), message);
        assertFalse(message.contains("\n"), message);
    }

    @Test
    void theLiveFilterStartsAtTheNewestEventSeenAndHasNoLimit() {
        MirrorPeer peer = MirrorSpec.parse("wss://a.example {\"kinds\":[1],\"limit\":10,\"since\":100,\"#t\":[\"x\"]}").get(0);
        assertEquals("{\"kinds\":[1],\"#t\":[\"x\"],\"since\":500}", peer.liveFilterJson(500));
        assertEquals("{\"kinds\":[1],\"#t\":[\"x\"],\"since\":100}", peer.liveFilterJson(50)); // never below the filter's own
        assertEquals("{\"since\":7}", MirrorSpec.parse("wss://b.example").get(0).liveFilterJson(7));
    }
}
