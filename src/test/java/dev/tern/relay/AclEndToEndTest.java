package dev.tern.relay;

import dev.tern.testing.ServeProcess;
import static dev.tern.relay.TestClient.HTTP;
import static dev.tern.relay.TestClient.idOf;
import static dev.tern.relay.TestClient.note;
import static dev.tern.relay.TestClient.now;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.acl.Acl;
import dev.tern.config.MemoryBudget;
import dev.tern.http.HttpApi;
import dev.tern.ingest.ImportSettings;
import dev.tern.acl.AclMode;
import dev.tern.acl.AclSettings;
import dev.tern.acl.Identities;
import dev.tern.acl.IpRules;
import dev.tern.acl.Nip98Validator;
import dev.tern.cli.Main;
import dev.tern.event.ByteKey;
import dev.tern.event.Event;
import dev.tern.event.Hex;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import dev.tern.store.StoreWriter;
import dev.tern.store.EventStore;
import dev.tern.store.StoreConfig;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Access control over real WebSocket and HTTP connections: each mode's decisions, NIP-86 with NIP-98, restarts. */
class AclEndToEndTest {
    private static final String RPC = "application/nostr+json+rpc";

    @TempDir
    Path dir;

    private final KeyPair owner = KeyPair.generate();
    private final KeyPair admin = KeyPair.generate();
    private final KeyPair alice = KeyPair.generate();
    private final KeyPair bob = KeyPair.generate();
    private final Identities ids = new Identities(Set.of(ByteKey.of(owner.publicKey())), Set.of(ByteKey.of(admin.publicKey())));

    /** A relay with access control on the store in {@code dir}; closing and starting again is a restart. */
    private final class AclRelay implements AutoCloseable {
        final EventStore store;
        final StoreWriter writer;
        final HttpApi api;
        final RelayServer server;

        AclRelay(AclSettings settings, Clock clock) throws InterruptedException {
            StoreConfig sc = StoreConfig.forBudget(dir, 192);
            store = EventStore.open(sc);
            writer = new StoreWriter(store, StoreWriter.Settings.defaults(16L << 20));
            Acl acl = Acl.attach(settings, store, writer, clock);
            // the admin API (NIP-86 in managed mode) as serve registers it
            api = new HttpApi(store, writer, acl.adminGuard(), acl.nip86(), acl.privacy(),
                    new ImportSettings(1 << 20, 500, 4 << 20, 2, true, acl.policy().importPolicy()), new MemoryBudget(256));
            server = RelayServer.start(TestRelay.config(AuthMode.NONE, TestRelay.limits()), store, writer, acl, api::register);
        }

        AclRelay(AclSettings settings) throws InterruptedException {
            this(settings, Clock.systemUTC());
        }

        TestClient client() {
            return new TestClient(URI.create("ws://127.0.0.1:" + server.port() + "/"));
        }

        String url() {
            return "http://127.0.0.1:" + server.port() + "/";
        }

        @Override
        public void close() throws InterruptedException {
            server.close();
            api.close();
            writer.close();
            store.close();
        }
    }

    private static boolean ok(String okMessage) {
        return okMessage.contains(",true,");
    }

    private static boolean refused(String okMessage, String prefix) {
        return okMessage.contains(",false,\"" + prefix);
    }

    private static Event contacts(KeyPair who, long createdAt, KeyPair... follows) {
        List<List<String>> tags = new ArrayList<>();
        for (KeyPair f : follows) tags.add(List.of("p", f.publicKeyHex()));
        return Signer.sign(who, createdAt, 3, tags, "");
    }

    @Test
    void followsModeAdmitsTheOwnersFollowsAndFollowsTheirNewestList() throws Exception {
        AclSettings settings = AclSettings.defaults(AclMode.FOLLOWS, ids);
        try (AclRelay relay = new AclRelay(settings); TestClient c = relay.client()) {
            assertTrue(refused(c.publish(note(alice, "before")), "auth-required: "));
            assertTrue(ok(c.publish(contacts(owner, now() - 10, alice))));
            assertTrue(ok(c.publish(note(alice, "followed now"))), "the CommitListener updated the set");
            assertTrue(refused(c.publish(note(bob, "stranger")), "auth-required: "));
            assertTrue(AuthTest.authenticate(c, alice).contains(",true,"));
            assertTrue(ok(c.publish(note(bob, "republished by an authenticated member"))));
        }
        try (AclRelay relay = new AclRelay(settings); TestClient c = relay.client()) {
            assertTrue(ok(c.publish(note(alice, "after restart"))), "rebuilt from the stored kind-3");
            assertTrue(ok(c.publish(contacts(admin, now(), bob))));
            assertTrue(ok(c.publish(note(bob, "followed by the admin"))));
            assertTrue(ok(c.publish(contacts(owner, now()))), "the owner unfollows everyone");
            assertTrue(refused(c.publish(note(alice, "unfollowed")), "auth-required: "));
            assertTrue(AuthTest.authenticate(c, alice).contains(",true,"));
            assertTrue(refused(c.publish(note(alice, "unfollowed, authenticated")), "restricted: "));
        }
    }

    @Test
    void noneModeStillRefusesOthersProtectedEvents() throws Exception {
        try (AclRelay relay = new AclRelay(AclSettings.defaults(AclMode.NONE, ids)); TestClient c = relay.client()) {
            assertTrue(ok(c.publish(note(bob, "anyone"))));
            Event mine = Signer.sign(alice, now(), 1, List.of(List.of("-")), "alice only");
            assertTrue(refused(c.publish(mine), "auth-required: "));
            assertTrue(AuthTest.authenticate(c, bob).contains(",true,"));
            assertTrue(refused(c.publish(mine), "restricted: "));
        }
    }

    // ---- managed mode and NIP-86 ----

    private static String nip98(KeyPair k, String url, byte[] body) {
        Event e = Signer.sign(k, now(), Nip98Validator.KIND, List.of(List.of("u", url), List.of("method", "POST"),
                List.of("payload", Hex.encode(Nip98Validator.sha256(body)))), "");
        return "Nostr " + Base64.getEncoder().encodeToString(e.json());
    }

    private static HttpResponse<String> rpc(AclRelay relay, KeyPair signer, String method, String params) throws Exception {
        byte[] body = ("{\"method\":\"" + method + "\",\"params\":[" + params + "]}").getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(relay.url())).header("Content-Type", RPC)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signer != null) b.header("Authorization", nip98(signer, relay.url(), body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A NIP-86 call signed by the admin, which must succeed at the HTTP level. */
    private String call(AclRelay relay, String method, String params) throws Exception {
        HttpResponse<String> r = rpc(relay, admin, method, params);
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    @Test
    void managedModeThroughNip86WithNip98AndAcrossARestart() throws Exception {
        AclSettings settings = AclSettings.defaults(AclMode.MANAGED, ids);
        Event aliceNote = note(alice, "to be banned");
        try (AclRelay relay = new AclRelay(settings); TestClient c = relay.client()) {
            HttpResponse<String> r = rpc(relay, null, "supportedmethods", "");
            assertEquals(401, r.statusCode());
            assertEquals("{\"result\":null,\"error\":\"missing Authorization header (NIP-98)\"}", r.body());
            r = rpc(relay, bob, "supportedmethods", "");
            assertEquals(403, r.statusCode());
            assertTrue(call(relay, "supportedmethods", "").contains("\"banevent\""));

            assertTrue(ok(c.publish(note(bob, "open until a ban"))));
            assertEquals("{\"result\":true}", call(relay, "banpubkey", "\"" + bob.publicKeyHex() + "\",\"spam\""));
            assertTrue(refused(c.publish(note(bob, "banned")), "blocked: "));

            assertTrue(ok(c.publish(aliceNote)));
            assertEquals(1, c.req("s1", "{\"ids\":[\"" + aliceNote.idHex() + "\"]}").size());
            assertEquals("{\"result\":true}", call(relay, "banevent", "\"" + aliceNote.idHex() + "\""));
            assertEquals(List.of(), c.req("s2", "{\"ids\":[\"" + aliceNote.idHex() + "\"]}"), "removed from the store");
            assertTrue(refused(c.publish(aliceNote), "blocked: "), "and refused from then on");

            call(relay, "allowpubkey", "\"" + admin.publicKeyHex() + "\"");
            assertTrue(refused(c.publish(note(alice, "not on the allow list")), "auth-required: "));
            call(relay, "allowpubkey", "\"" + alice.publicKeyHex() + "\"");
            assertTrue(ok(c.publish(note(alice, "allowed"))));
            call(relay, "disallowkind", "7");
            assertTrue(refused(c.publish(Signer.sign(alice, now(), 7, List.of(), "+")), "blocked: "));

            call(relay, "changerelayname", "\"renamed\"");
            call(relay, "changerelayicon", "\"https://example.org/icon.png\"");
            String nip11 = HTTP.send(HttpRequest.newBuilder(URI.create(relay.url())).header("Accept", "application/nostr+json").build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(nip11.startsWith("{\"name\":\"renamed\",") && nip11.contains("\"icon\":\"https://example.org/icon.png\""), nip11);
        }
        try (AclRelay relay = new AclRelay(settings); TestClient c = relay.client()) {
            assertTrue(refused(c.publish(note(bob, "still banned")), "blocked: "));
            assertTrue(refused(c.publish(aliceNote), "blocked: "));
            assertTrue(ok(c.publish(note(alice, "still allowed"))));
            assertTrue(call(relay, "listbannedpubkeys", "").contains("{\"pubkey\":\"" + bob.publicKeyHex() + "\",\"reason\":\"spam\"}"));
            assertEquals("{\"result\":[7]}", call(relay, "listdisallowedkinds", ""));
            call(relay, "unbanpubkey", "\"" + bob.publicKeyHex() + "\"");
            call(relay, "allowevent", "\"" + aliceNote.idHex() + "\"");
            call(relay, "allowpubkey", "\"" + bob.publicKeyHex() + "\"");
            assertTrue(ok(c.publish(note(bob, "unbanned"))));
            assertTrue(ok(c.publish(aliceNote)), "the lifted ban lets the event back in");
        }
    }

    /** `tern import` on a managed relay's store (the relay stopped) keeps the NIP-86 bans made while it ran. */
    @Test
    void anImportKeepsTheBansOfManagedMode(@TempDir Path files) throws Exception {
        AclSettings settings = AclSettings.defaults(AclMode.MANAGED, ids);
        Event bannedEvent = note(alice, "banned event");
        Event byBannedAuthor = note(bob, "banned author");
        Event kept = note(alice, "kept");
        try (AclRelay relay = new AclRelay(settings)) {
            call(relay, "banpubkey", "\"" + bob.publicKeyHex() + "\",\"spam\"");
            call(relay, "banevent", "\"" + bannedEvent.idHex() + "\"");
        }
        Path archive = files.resolve("archive.jsonl");
        Files.write(archive, List.of(new String(byBannedAuthor.json(), StandardCharsets.UTF_8),
                new String(bannedEvent.json(), StandardCharsets.UTF_8), new String(kept.json(), StandardCharsets.UTF_8)));
        Path errors = files.resolve("errors.jsonl");
        assertEquals(0, Main.newCommandLine().execute("import", "--data-dir", dir.toString(), "--memory", "192",
                "--acl-mode", "managed", "--errors", errors.toString(), archive.toString()));
        assertEquals(List.of(
                "{\"line\":1,\"reason\":\"policy\",\"message\":\"blocked: the author of this event is banned\",",
                "{\"line\":2,\"reason\":\"policy\",\"message\":\"blocked: this event is banned\","),
                Files.readAllLines(errors).stream().map(l -> l.substring(0, l.indexOf(",\"head\"") + 1)).toList());
        try (AclRelay relay = new AclRelay(settings); TestClient c = relay.client()) {
            String filter = "{\"ids\":[\"" + bannedEvent.idHex() + "\",\"" + byBannedAuthor.idHex() + "\",\"" + kept.idHex() + "\"]}";
            assertEquals(List.of(kept.idHex()), c.req("s", filter).stream().map(TestClient::idOf).toList());
        }
    }

    /**
     * The same through `tern serve`'s own wiring: an upload to /api/import keeps the running relay's bans.
     * No owner is configured, so loopback may use the admin API without auth.
     */
    @Test
    void anUploadKeepsTheBansOfTheRunningRelay(@TempDir Path files) throws Exception {
        Event byBannedAuthor = note(bob, "banned author");
        Event kept = note(alice, "kept");
        try (ServeProcess relay = ServeProcess.start(files.resolve("data"), files.resolve("relay.log"), "--acl-mode", "managed")) {
            HttpResponse<String> ban = HTTP.send(HttpRequest.newBuilder(relay.http("/")).header("Content-Type", RPC)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"method\":\"banpubkey\",\"params\":[\"" + bob.publicKeyHex() + "\"]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("{\"result\":true}", ban.body());
            String id = "upload-with-a-banned-author";
            String lines = new String(byBannedAuthor.json(), StandardCharsets.UTF_8) + "\n" + new String(kept.json(), StandardCharsets.UTF_8) + "\n";
            HttpResponse<String> upload = HTTP.send(HttpRequest.newBuilder(relay.http("/api/import?id=" + id))
                    .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(lines)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(202, upload.statusCode(), upload.body());
            String status = "";
            for (int i = 0; i < 200 && !status.contains("\"state\":\"complete\""); i++) {
                if (i > 0) Thread.sleep(50);
                status = HTTP.send(HttpRequest.newBuilder(relay.http("/api/import/" + id)).build(), HttpResponse.BodyHandlers.ofString()).body();
            }
            assertTrue(status.contains("\"state\":\"complete\"") && status.contains("\"events_stored\":1,")
                    && status.contains("\"policy\":1"), status);
            try (TestClient c = new TestClient(relay.ws())) {
                assertEquals(List.of(kept.idHex()), c.req("s", TestClient.authorFilter(alice), TestClient.authorFilter(bob))
                        .stream().map(TestClient::idOf).toList());
            }
        }
    }

    @Test
    void nip98ReplayAndWrongUrlAreRefused() throws Exception {
        try (AclRelay relay = new AclRelay(AclSettings.defaults(AclMode.MANAGED, ids))) {
            byte[] body = "{\"method\":\"supportedmethods\",\"params\":[]}".getBytes(StandardCharsets.UTF_8);
            String auth = nip98(owner, relay.url(), body);
            HttpRequest req = HttpRequest.newBuilder(URI.create(relay.url())).header("Content-Type", RPC).header("Authorization", auth)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            assertEquals(200, HTTP.send(req, HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpResponse<String> again = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
            assertEquals(401, again.statusCode());
            assertTrue(again.body().contains("already used"), again.body());
            HttpRequest elsewhere = HttpRequest.newBuilder(URI.create(relay.url())).header("Content-Type", RPC)
                    .header("Authorization", nip98(owner, "https://relay.example.com/", body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            HttpResponse<String> r = HTTP.send(elsewhere, HttpResponse.BodyHandlers.ofString());
            assertEquals(401, r.statusCode());
            assertTrue(r.body().contains("is not the request URL"), r.body());
        }
    }

    // ---- addresses and rates ----

    /** The status line of a GET /healthz on a fresh TCP connection. */
    private static String statusOfNewConnection(int port) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return response.substring(0, response.indexOf('\r')) + " " + response.substring(response.indexOf("\r\n\r\n") + 4).trim();
        }
    }

    @Test
    void deniedAddressesAreRefusedAtAccept() throws Exception {
        AclSettings s = AclSettings.defaults(AclMode.NONE, ids);
        AclSettings denyLoopback = new AclSettings(s.mode(), s.identities(), IpRules.parse("", "127.0.0.0/8"), s.followsMax(),
                s.maxEntries(), 0, 0, s.rateMaxIps(), s.nip98WindowSeconds(), s.nip98ReplayMax(), s.privacy(), s.proofOfWork());
        try (AclRelay relay = new AclRelay(denyLoopback)) {
            assertEquals("HTTP/1.1 403 Forbidden blocked: your IP address is denied by this relay", statusOfNewConnection(relay.server.port()));
        }
    }

    @Test
    void perIpRatesRefuseConnectionsAndEventsBeyondTheBucket() throws Exception {
        AclSettings s = AclSettings.defaults(AclMode.NONE, ids);
        AclSettings limited = new AclSettings(s.mode(), s.identities(), IpRules.OPEN, s.followsMax(), s.maxEntries(),
                2, 1, s.rateMaxIps(), s.nip98WindowSeconds(), s.nip98ReplayMax(), s.privacy(), s.proofOfWork());
        Clock frozen = Clock.fixed(Instant.now(), ZoneOffset.UTC); // no refill: the outcome does not depend on speed
        try (AclRelay relay = new AclRelay(limited, frozen); TestClient c = relay.client()) {
            assertTrue(ok(c.publish(note(alice, "first"))));
            assertTrue(refused(c.publish(note(alice, "second")), "rate-limited: "));
            assertTrue(statusOfNewConnection(relay.server.port()).startsWith("HTTP/1.1 200"), "second connection");
            assertEquals("HTTP/1.1 429 Too Many Requests rate-limited: more than 2 connections per minute from your address",
                    statusOfNewConnection(relay.server.port()));
        }
    }
}
