package dev.tern.acl;

import static dev.tern.acl.FollowSetTest.key;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tern.event.KeyPair;
import java.net.InetAddress;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AdminGuardTest {
    private final KeyPair owner = KeyPair.generate(new Random(5));
    private final long now = 1_700_000_000L;
    private final String url = "http://relay.test/api/stats";

    private AdminGuard guard(Identities ids) {
        return new AdminGuard(ids, new Nip98Validator(ids, 60, 10, () -> now));
    }

    @Test
    void withoutOwnersOnlyLoopbackClientsAreServed() throws Exception {
        AdminGuard g = guard(Identities.NONE);
        assertEquals(new AdminGuard.Result.Allowed(null), g.check("GET", url, null, null, InetAddress.getByName("127.0.0.1")));
        assertEquals(new AdminGuard.Result.Allowed(null), g.check("GET", url, null, null, InetAddress.getByName("::1")));
        assertEquals(new AdminGuard.Result.Denied(403,
                        "the admin API serves loopback clients only while no TERN_OWNERS or TERN_ADMINS are configured"),
                g.check("GET", url, null, null, InetAddress.getByName("192.0.2.1")));
    }

    @Test
    void withOwnersEveryClientNeedsNip98() throws Exception {
        AdminGuard g = guard(new Identities(Set.of(key(owner)), Set.of()));
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        assertEquals(new AdminGuard.Result.Denied(401, "missing Authorization header (NIP-98)"), g.check("GET", url, null, null, loopback));
        String auth = Nip98ValidatorTest.header(owner, now, 27235, url, "GET", null);
        assertEquals(new AdminGuard.Result.Allowed(key(owner)), g.check("GET", url, auth, null, InetAddress.getByName("192.0.2.1")));
    }
}
