package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import dev.tern.filter.FilterLimits;
import dev.tern.filter.FilterParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClientMessageParserTest {
    private final ClientMessageParser parser = new ClientMessageParser(new FilterParser(new FilterLimits(100)), 2);
    private final Event event = Signer.sign(KeyPair.generate(new Random(5)), 1_700_000_000L, 1, List.of(), "hi");
    private final String json = new String(event.json(), StandardCharsets.UTF_8);

    private ClientMessage parse(String s) {
        return parser.parse(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void event() {
        var p = assertInstanceOf(ClientMessage.Publish.class, parse("[\"EVENT\"," + json + "]"));
        assertEquals(event, p.event());
        assertInstanceOf(ClientMessage.Malformed.class, parse("[\"EVENT\"," + json + ",1]"));
    }

    @Test
    void rejectedEventKeepsItsClaimedId() {
        var r = assertInstanceOf(ClientMessage.PublishRejected.class, parse("[\"EVENT\"," + json.replace("\"hi\"", "\"ho\"") + "]"));
        assertArrayEquals(event.id(), r.id());
        assertTrue(r.message().startsWith("invalid: "));
        var noId = assertInstanceOf(ClientMessage.PublishRejected.class, parse("[\"EVENT\",{\"kind\":1}]"));
        assertNull(noId.id());
    }

    @Test
    void authIsVerified() {
        assertInstanceOf(ClientMessage.Auth.class, parse("[\"AUTH\"," + json + "]"));
        String badSig = json.replaceFirst("\"sig\":\"..", "\"sig\":\"00");
        assertInstanceOf(ClientMessage.PublishRejected.class, parse("[\"AUTH\"," + badSig + "]"));
    }

    @Test
    void reqCountClose() {
        var req = assertInstanceOf(ClientMessage.Req.class, parse("[\"REQ\",\"s\",{\"kinds\":[1]},{\"limit\":3}]"));
        assertEquals("s", req.subId());
        assertEquals(2, req.filters().size());
        assertEquals(3, req.filters().get(1).limit());
        assertInstanceOf(ClientMessage.Count.class, parse("[\"COUNT\",\"c\",{}]"));
        assertEquals("s", assertInstanceOf(ClientMessage.Close.class, parse("[\"CLOSE\",\"s\"]")).subId());
    }

    @Test
    void refusedSubscriptions() {
        var tooMany = assertInstanceOf(ClientMessage.SubscriptionRejected.class, parse("[\"REQ\",\"s\",{},{},{}]"));
        assertTrue(tooMany.message().startsWith("invalid: too many filters"));
        var none = assertInstanceOf(ClientMessage.SubscriptionRejected.class, parse("[\"REQ\",\"s\"]"));
        assertTrue(none.message().startsWith("invalid: "));
        var bad = assertInstanceOf(ClientMessage.SubscriptionRejected.class, parse("[\"REQ\",\"s\",{\"authors\":[\"xyz\"]}]"));
        assertTrue(bad.message().startsWith("invalid: "));
    }

    @Test
    void malformedMessages() {
        for (String m : List.of("", "x", "{}", "[]", "[1]", "[\"NOPE\"]", "[\"REQ\",\"\",{}]", "[\"REQ\",7,{}]",
                "[\"REQ\",\"" + "a".repeat(65) + "\",{}]", "[\"CLOSE\"]", "[\"CLOSE\",\"a\",\"b\"]", "[\"EVENT\",[]]",
                "[\"REQ\",\"s\",{}", "[\"REQ\",\"s\",{}] x")) {
            assertInstanceOf(ClientMessage.Malformed.class, parse(m), m);
        }
    }
}
