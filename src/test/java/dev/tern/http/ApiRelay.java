package dev.tern.http;

import dev.tern.acl.Acl;
import dev.tern.acl.AclMode;
import dev.tern.acl.AclSettings;
import dev.tern.acl.AdminGuard;
import dev.tern.acl.DmPrivacy;
import dev.tern.acl.Identities;
import dev.tern.acl.Nip98Validator;
import dev.tern.config.MemoryBudget;
import dev.tern.ingest.ImportPolicy;
import dev.tern.ingest.ImportSettings;
import dev.tern.store.StoreWriter;
import dev.tern.relay.AuthMode;
import dev.tern.relay.RelayConfig;
import dev.tern.relay.RelayInfo;
import dev.tern.relay.RelayLimits;
import dev.tern.relay.RelayServer;
import dev.tern.store.EventStore;
import dev.tern.store.StoreConfig;
import java.nio.file.Path;
import java.time.Clock;

/** The HTTP end-to-end tests' fixture: a relay with the HTTP API on a loopback port, over a fresh store and writer. */
final class ApiRelay implements AutoCloseable {
    final EventStore store;
    final StoreWriter writer;
    final HttpApi api;
    final RelayServer relay;

    ApiRelay(Path dir, HttpTimeouts timeouts) throws InterruptedException {
        StoreConfig sc = StoreConfig.forBudget(dir, 192);
        store = EventStore.open(sc);
        writer = new StoreWriter(store, StoreWriter.Settings.defaults(8L << 20));
        Identities none = Identities.parse("", "");
        AdminGuard guard = new AdminGuard(none, new Nip98Validator(none, 60, 100, () -> System.currentTimeMillis() / 1000));
        api = new HttpApi(store, writer, guard, null, DmPrivacy.DEFAULT, new ImportSettings(1 << 20, 500, 4 << 20, 2, true, ImportPolicy.ADMIT_ALL), new MemoryBudget(256));
        RelayInfo info = new RelayInfo("t", "test", "", "", "", "0-test", "ws://127.0.0.1:1");
        relay = RelayServer.start(new RelayConfig("127.0.0.1", 0, 2, 1, 16, AuthMode.NONE, info, RelayLimits.DEFAULTS, timeouts, 64),
                store, writer, Acl.attach(AclSettings.defaults(AclMode.NONE, none), store, writer, Clock.systemUTC()),
                api::register);
    }

    @Override
    public void close() {
        relay.close();
        api.close();
        writer.close();
        store.close();
    }
}
