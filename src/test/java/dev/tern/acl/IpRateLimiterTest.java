package dev.tern.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class IpRateLimiterTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void connectionsBurstToTheRateThenRefillOverAMinute() throws Exception {
        IpRateLimiter limiter = new IpRateLimiter(3, 0, 1000, nanos::get);
        InetAddress a = ip("10.0.0.1");
        for (int i = 0; i < 3; i++) assertTrue(limiter.tryConnect(a).allowed());
        Decision d = limiter.tryConnect(a);
        assertEquals(new Decision.Deny("rate-limited: more than 3 connections per minute from your address"), d);
        assertTrue(limiter.tryConnect(ip("10.0.0.2")).allowed(), "other addresses have their own bucket");
        nanos.addAndGet(20_000_000_000L); // a third of a minute: one token back
        assertTrue(limiter.tryConnect(a).allowed());
        assertFalse(limiter.tryConnect(a).allowed());
        assertTrue(limiter.tryEvent(a).allowed(), "events are unlimited at 0");
    }

    @Test
    void eventsPerSecondAndIpv6SharesItsSlash64() throws Exception {
        IpRateLimiter limiter = new IpRateLimiter(0, 2, 1000, nanos::get);
        assertTrue(limiter.tryEvent(ip("2001:db8:1:2::1")).allowed());
        assertTrue(limiter.tryEvent(ip("2001:db8:1:2::ffff")).allowed());
        assertFalse(limiter.tryEvent(ip("2001:db8:1:2:aaaa::1")).allowed());
        assertTrue(limiter.tryEvent(ip("2001:db8:1:3::1")).allowed());
        nanos.addAndGet(500_000_000L);
        assertTrue(limiter.tryEvent(ip("2001:db8:1:2::1")).allowed());
        assertFalse(limiter.tryEvent(ip("2001:db8:1:2::1")).allowed());
    }

    @Test
    void tracksAtMostMaxIps() throws Exception {
        IpRateLimiter limiter = new IpRateLimiter(10, 10, 64, nanos::get);
        for (int i = 0; i < 5000; i++) limiter.tryEvent(InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}));
        assertTrue(limiter.trackedIps() <= 64, "tracked " + limiter.trackedIps());
    }
}
