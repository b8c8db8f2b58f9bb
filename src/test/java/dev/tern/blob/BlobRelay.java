package dev.tern.blob;

import dev.tern.acl.Acl;
import dev.tern.acl.AclMode;
import dev.tern.acl.AclSettings;
import dev.tern.acl.Identities;
import dev.tern.event.Event;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import dev.tern.http.HttpTimeouts;
import dev.tern.store.StoreWriter;
import dev.tern.relay.AuthMode;
import dev.tern.relay.RelayConfig;
import dev.tern.relay.RelayInfo;
import dev.tern.relay.RelayLimits;
import dev.tern.relay.RelayServer;
import dev.tern.store.EventStore;
import dev.tern.store.StoreConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The Blossom tests' fixture: a relay on a loopback port serving Blossom over a fresh store, writer and blob directory. */
final class BlobRelay implements AutoCloseable {
    final EventStore store;
    final StoreWriter writer;
    final Acl acl;
    final BlobService blobs;
    final RelayServer relay;

    BlobRelay(Path dir, AclSettings acl, BlobSettings settings, int maxTransfers) throws InterruptedException {
        this(dir, acl, settings, maxTransfers, new HttpTimeouts(java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(5), 0));
    }

    BlobRelay(Path dir, AclSettings acl, BlobSettings settings, int maxTransfers, HttpTimeouts timeouts) throws InterruptedException {
        StoreConfig sc = StoreConfig.forBudget(dir.resolve("db"), 192);
        store = EventStore.open(sc);
        writer = new StoreWriter(store, StoreWriter.Settings.defaults(8L << 20));
        Acl a = Acl.attach(acl, store, writer, Clock.systemUTC());
        this.acl = a;
        blobs = new BlobService(settings, store, writer, a, maxTransfers, () -> System.currentTimeMillis() / 1000);
        RelayInfo info = new RelayInfo("t", "test", "", "", "", "0-test", "ws://127.0.0.1:1");
        relay = RelayServer.start(new RelayConfig("127.0.0.1", 0, 2, 1, 16, AuthMode.NONE, info, RelayLimits.DEFAULTS, timeouts, 64),
                store, writer, a, router -> {
                    new BlobAdmin(blobs, a.adminGuard()).register(router);
                    new BlobRoutes(blobs, timeouts).register(router);
                });
    }

    /** Open to everyone with a token (public uploads), no quotas, any type, 10 MB blobs, mirrors from loopback allowed. */
    static BlobRelay open(Path dir) throws InterruptedException {
        return new BlobRelay(dir, AclSettings.defaults(AclMode.NONE, Identities.NONE), settings(dir, 10 << 20, List.of(), true), 4);
    }

    /** Mirrors may fetch from loopback: the tests' origins are other relays and servers on 127.0.0.1. */
    static BlobSettings settings(Path dir, long maxBytes, List<String> types, boolean publicUploads) {
        return new BlobSettings(dir.resolve("blobs"), maxBytes, 0, 0, types, publicUploads, true, "", true);
    }

    URI http(String path) {
        return URI.create("http://127.0.0.1:" + relay.port() + path);
    }

    /** A BUD-11 token header: kind 24242 with t {@code verb}, expiring in an hour, x tags for {@code blobs}. */
    static String auth(KeyPair keys, String verb, String... blobs) {
        long now = System.currentTimeMillis() / 1000;
        List<List<String>> tags = new ArrayList<>(List.of(List.of("t", verb), List.of("expiration", Long.toString(now + 3600))));
        for (String b : blobs) tags.add(List.of("x", b));
        return header(Signer.sign(keys, now, 24242, tags, "test"));
    }

    static String header(Event e) {
        return "Nostr " + Base64.getUrlEncoder().withoutPadding().encodeToString(e.json());
    }

    static String text(Event e) {
        return new String(e.json(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        relay.close();
        blobs.close();
        writer.close();
        store.close();
    }
}
