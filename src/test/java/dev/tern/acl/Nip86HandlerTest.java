package dev.tern.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.event.ByteKey;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Nip86HandlerTest {
    private static final String PK = "00000000000000000000000000000000000000000000000000000000000000a1";
    private static final String ID = "00000000000000000000000000000000000000000000000000000000000000e1";

    private final MemoryMetaStore meta = new MemoryMetaStore();
    private final ManagedState state = new ManagedState(meta, 100);
    private final List<ByteKey> deleted = new ArrayList<>();
    private final List<ByteKey> purged = new ArrayList<>();
    private final Nip86Handler handler = new Nip86Handler(state);

    private String call(String body) {
        return call(200, body);
    }

    private String call(int status, String body) {
        Nip86Handler.Response r = handler.handle(body.getBytes(StandardCharsets.UTF_8), null, meta, deleted::add, purged::add);
        String json = new String(r.body(), StandardCharsets.UTF_8);
        assertEquals(status, r.status(), json);
        return json;
    }

    private static String rpc(String method, String params) {
        return "{\"method\":\"" + method + "\",\"params\":[" + params + "]}";
    }

    private static final String TRUE = "{\"result\":true}";

    @Test
    void supportedMethodsListsEveryMethod() {
        String json = call(rpc("supportedmethods", ""));
        assertEquals("{\"result\":[\"supportedmethods\",\"banpubkey\",\"unbanpubkey\",\"listbannedpubkeys\",\"allowpubkey\","
                + "\"unallowpubkey\",\"listallowedpubkeys\",\"banevent\",\"allowevent\",\"listbannedevents\",\"changerelayname\","
                + "\"changerelaydescription\",\"changerelayicon\",\"allowkind\",\"disallowkind\",\"listallowedkinds\","
                + "\"listdisallowedkinds\",\"blockip\",\"unblockip\",\"listblockedips\"]}", json);
    }

    @Test
    void pubkeyBansAndAllows() {
        assertEquals(TRUE, call(rpc("banpubkey", "\"" + PK + "\",\"spam\"")));
        assertEquals(List.of(ManagedState.parseHexKey(PK)), purged, "what the pubkey stored beside its events goes with the ban");
        assertEquals("{\"result\":[{\"pubkey\":\"" + PK + "\",\"reason\":\"spam\"}]}", call(rpc("listbannedpubkeys", "")));
        assertEquals(TRUE, call(rpc("unbanpubkey", "\"" + PK + "\"")));
        assertEquals("{\"result\":[]}", call(rpc("listbannedpubkeys", "")));
        assertEquals(TRUE, call(rpc("allowpubkey", "\"" + PK + "\"")));
        assertEquals("{\"result\":[{\"pubkey\":\"" + PK + "\",\"reason\":\"\"}]}", call(rpc("listallowedpubkeys", "")));
        assertTrue(state.hasAllowList());
        assertEquals(TRUE, call(rpc("unallowpubkey", "\"" + PK + "\"")));
        assertFalse(state.hasAllowList());
        assertEquals("{\"result\":null,\"error\":\"pubkey 'npub1xyz' is not 64 lowercase hex characters\"}",
                call(rpc("banpubkey", "\"npub1xyz\"")));
        assertEquals("{\"result\":null,\"error\":\"params[0] must be the pubkey (a string)\"}", call(rpc("banpubkey", "")));
        assertEquals(1, purged.size(), "neither unban nor a refused ban purges");
    }

    @Test
    void banningAnEventDeletesItAndAllowingLiftsTheBan() {
        assertEquals(TRUE, call(rpc("banevent", "\"" + ID + "\",\"illegal\"")));
        assertEquals(List.of(ManagedState.parseHexKey(ID)), deleted);
        assertTrue(state.isBannedEvent(ManagedState.parseHexKey(ID)));
        assertEquals("{\"result\":[{\"id\":\"" + ID + "\",\"reason\":\"illegal\"}]}", call(rpc("listbannedevents", "")));
        assertEquals(TRUE, call(rpc("allowevent", "\"" + ID + "\"")));
        assertEquals("{\"result\":[]}", call(rpc("listbannedevents", "")));
    }

    @Test
    void relayInformationChanges() {
        assertEquals(TRUE, call(rpc("changerelayname", "\"tern\"")));
        assertEquals(TRUE, call(rpc("changerelaydescription", "\"fast\"")));
        assertEquals(TRUE, call(rpc("changerelayicon", "\"https://x.test/i.png\"")));
        assertEquals("tern", state.relayName().orElseThrow());
        assertEquals("fast", state.relayDescription().orElseThrow());
        assertEquals("https://x.test/i.png", state.relayIcon().orElseThrow());
    }

    @Test
    void kinds() {
        assertEquals(TRUE, call(rpc("allowkind", "1")));
        assertEquals(TRUE, call(rpc("allowkind", "\"7\"")));
        assertEquals(TRUE, call(rpc("disallowkind", "4")));
        assertEquals("{\"result\":[1,7]}", call(rpc("listallowedkinds", "")));
        assertEquals("{\"result\":[4]}", call(rpc("listdisallowedkinds", "")));
        assertEquals("{\"result\":null,\"error\":\"params[0] '70000' is not a kind (0..65535)\"}", call(rpc("allowkind", "70000")));
        assertEquals("{\"result\":null,\"error\":\"params[0] must be the kind (a number)\"}", call(rpc("allowkind", "")));
    }

    @Test
    void ips() throws Exception {
        assertEquals(TRUE, call(rpc("blockip", "\"192.0.2.1\",\"abuse\"")));
        assertEquals(TRUE, call(rpc("blockip", "\"2001:db8::/32\"")));
        assertTrue(state.isBlockedIp(InetAddress.getByName("2001:db8::5")));
        assertEquals("{\"result\":[{\"ip\":\"192.0.2.1\",\"reason\":\"abuse\"},{\"ip\":\"2001:db8:0:0:0:0:0:0/32\",\"reason\":\"\"}]}",
                call(rpc("listblockedips", "")));
        assertEquals(TRUE, call(rpc("unblockip", "\"192.0.2.1\"")));
        assertFalse(state.isBlockedIp(InetAddress.getByName("192.0.2.1")));
        assertEquals("{\"result\":null,\"error\":\"'example.com' is not an IP address or CIDR block\"}",
                call(rpc("blockip", "\"example.com\"")));
    }

    @Test
    void badRequestsAreAnsweredWithAnError() {
        assertEquals("{\"result\":null,\"error\":\"unsupported method 'createrole'\"}", call(rpc("createrole", "")));
        assertEquals("{\"result\":null,\"error\":\"request is not valid JSON\"}", call(400, "{\"method\":"));
        assertEquals("{\"result\":null,\"error\":\"missing 'method'\"}", call(400, "{\"params\":[]}"));
        assertEquals("{\"result\":null,\"error\":\"request must be a JSON object\"}", call(400, "[]"));
        assertEquals("{\"result\":null,\"error\":\"params must be strings or integers\"}", call(400, rpc("banpubkey", "[1]")));
        assertEquals("{\"result\":null,\"error\":\"'params' must be an array\"}", call(400, "{\"method\":\"x\",\"params\":{}}"));
        assertEquals("{\"result\":null,\"error\":\"trailing data after the request\"}", call(400, rpc("supportedmethods", "") + "{}"));
        assertEquals(413, handler.handle(new byte[Nip86Handler.MAX_REQUEST_BYTES + 1], null, meta, deleted::add, purged::add).status());
    }

    @Test
    void aFullListIsAnError() {
        MemoryMetaStore smallMeta = new MemoryMetaStore();
        Nip86Handler small = new Nip86Handler(new ManagedState(smallMeta, 1));
        small.handle(rpc("banpubkey", "\"" + PK + "\"").getBytes(StandardCharsets.UTF_8), null, smallMeta, id -> {}, purged::add);
        String json = new String(small.handle(rpc("banpubkey", "\"" + ID + "\"").getBytes(StandardCharsets.UTF_8), null, smallMeta, id -> {},
                purged::add).body(), StandardCharsets.UTF_8);
        assertEquals("{\"result\":null,\"error\":\"the list of banned pubkeys is full (1 entries, TERN_ACL_MAX_ENTRIES)\"}", json);
        assertEquals(List.of(ManagedState.parseHexKey(PK)), purged, "a ban refused purges nothing");
    }
}
