package dev.tern.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The remote's NIP-11 document as a sync reads it, and the message size it picks from it. */
class RemoteInfoTest {

    @Test
    void listedNipsAndTheMessageLimitAreRead() {
        RemoteInfo info = parse("{\"name\":\"x\",\"supported_nips\":[1,11,77],\"limitation\":{\"max_subscriptions\":20,"
                + "\"max_message_length\":1048576,\"auth_required\":false}}");
        assertTrue(info.mayNegentropy());
        assertEquals(1048576, info.maxMessageLength());
        assertEquals((1048576 - 256) / 2, SyncJob.frameBytes(info));
    }

    @Test
    void aRelayListingItsNipsWithout77DoesNotSync() {
        RemoteInfo info = parse("{\"supported_nips\":[1,2,\"11\"],\"limitation\":{\"max_message_length\":65536}}");
        assertFalse(info.mayNegentropy());
        assertEquals((65536 - 256) / 2, SyncJob.frameBytes(info));
    }

    @Test
    void whatIsMissingOrMalformedIsUnknown() {
        RemoteInfo none = parse("{\"name\":\"no lists\"}");
        assertTrue(none.mayNegentropy()); // unknown: the NEG-OPEN answer decides, within the time-out
        assertNull(none.maxMessageLength());
        assertEquals(SyncJob.DEFAULT_FRAME_BYTES, SyncJob.frameBytes(none));
        assertEquals(RemoteInfo.UNKNOWN, parse("<html>not json</html>"));
        assertEquals(RemoteInfo.UNKNOWN, parse("[1,2]"));
        assertEquals(Negentropy.MIN_FRAME_SIZE, SyncJob.frameBytes(parse("{\"limitation\":{\"max_message_length\":1000}}")));
    }

    private static RemoteInfo parse(String doc) {
        return RemoteInfo.parse(doc.getBytes(StandardCharsets.UTF_8));
    }
}
