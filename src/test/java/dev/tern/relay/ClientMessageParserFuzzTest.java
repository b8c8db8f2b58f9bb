package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tern.filter.FilterLimits;
import dev.tern.filter.FilterParser;

/**
 * Fuzz target: any bytes given as a client message (EVENT, REQ, CLOSE, COUNT, AUTH or garbage) yield a
 * message, never an exception, and every refusal carries a NIP-01 prefix ("invalid:" or "unsupported:").
 */
class ClientMessageParserFuzzTest {
    private static final ClientMessageParser PARSER = new ClientMessageParser(new FilterParser(new FilterLimits(100)), 10);

    @FuzzTest(maxDuration = "30s")
    void parse(byte[] data) {
        ClientMessage m = PARSER.parse(data);
        assertNotNull(m);
        String refusal = switch (m) {
            case ClientMessage.Malformed x -> x.notice();
            case ClientMessage.PublishRejected x -> x.message();
            case ClientMessage.SubscriptionRejected x -> x.message();
            default -> null;
        };
        if (refusal != null) assertTrue(refusal.startsWith("invalid: ") || refusal.startsWith("unsupported: "), refusal);
        // the id an oversized EVENT claims names the event in the OK: 32 bytes or nothing
        byte[] claimed = ClientMessageParser.oversizedEventId(data);
        assertTrue(claimed == null || claimed.length == 32, "claimed id of " + (claimed == null ? 0 : claimed.length) + " bytes");
        String negSubId = ClientMessageParser.oversizedNegSubId(data);
        assertTrue(negSubId == null || (!negSubId.isEmpty() && negSubId.length() <= RelayLimits.MAX_SUBID_LENGTH), negSubId);
    }
}
