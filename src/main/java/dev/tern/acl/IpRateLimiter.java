package dev.tern.acl;

import dev.tern.event.ByteKey;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Per-IP token buckets: new connections per minute and events per second (0 = unlimited). A bucket
 * holds one period's worth of tokens, so a client may burst that much and then goes at the rate.
 * IPv6 clients are keyed by their /64, since one host usually owns a whole /64.
 *
 * <p>Memory is bounded: at most {@code maxIps} buckets, kept in LRU order and split into stripes so
 * the relay's threads rarely contend. An evicted address starts again with a full bucket, which only
 * an attacker holding more than {@code maxIps} addresses can exploit.
 */
public final class IpRateLimiter {
    private static final int STRIPES = 16;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final int connectionsPerMinute;
    private final int eventsPerSecond;
    private final LongSupplier nanoTime;
    private final Stripe[] stripes = new Stripe[STRIPES];

    /** {@code nanoTime} is the clock the buckets refill by (nanoseconds; only differences matter). */
    public IpRateLimiter(int connectionsPerMinute, int eventsPerSecond, int maxIps, LongSupplier nanoTime) {
        if (connectionsPerMinute < 0 || eventsPerSecond < 0) throw new IllegalArgumentException("rate limits must be >= 0");
        if (maxIps < STRIPES) throw new IllegalArgumentException("the rate limiter must track at least " + STRIPES + " IPs, got " + maxIps);
        this.connectionsPerMinute = connectionsPerMinute;
        this.eventsPerSecond = eventsPerSecond;
        this.nanoTime = nanoTime;
        for (int i = 0; i < STRIPES; i++) stripes[i] = new Stripe(maxIps / STRIPES);
    }

    /** Takes a connection token for {@code ip}. */
    public Decision tryConnect(InetAddress ip) {
        if (connectionsPerMinute == 0) return Decision.ALLOW;
        return take(ip, true) ? Decision.ALLOW
                : Decision.rateLimited("more than " + connectionsPerMinute + " connections per minute from your address");
    }

    /** Takes an event token for {@code ip}; call it before the costly signature check. */
    public Decision tryEvent(InetAddress ip) {
        if (eventsPerSecond == 0) return Decision.ALLOW;
        return take(ip, false) ? Decision.ALLOW
                : Decision.rateLimited("more than " + eventsPerSecond + " events per second from your address");
    }

    /** Buckets currently held. */
    int trackedIps() {
        int n = 0;
        for (Stripe s : stripes) {
            synchronized (s) {
                n += s.size();
            }
        }
        return n;
    }

    private boolean take(InetAddress ip, boolean connection) {
        ByteKey key = key(ip);
        Stripe stripe = stripes[Math.floorMod(key.hashCode(), STRIPES)];
        long now = nanoTime.getAsLong();
        synchronized (stripe) {
            Buckets b = stripe.computeIfAbsent(key, k -> new Buckets(connectionsPerMinute, eventsPerSecond, now));
            return (connection ? b.connections : b.events).tryTake(now);
        }
    }

    private static ByteKey key(InetAddress ip) {
        byte[] a = ip.getAddress();
        return ByteKey.of(a.length == 16 ? Arrays.copyOf(a, 8) : a);
    }

    private static final class Buckets {
        final TokenBucket connections;
        final TokenBucket events;

        Buckets(int connectionsPerMinute, int eventsPerSecond, long now) {
            connections = new TokenBucket(connectionsPerMinute, 60 * NANOS_PER_SECOND, connectionsPerMinute, now);
            events = new TokenBucket(eventsPerSecond, NANOS_PER_SECOND, eventsPerSecond, now);
        }
    }

    private static final class Stripe extends LinkedHashMap<ByteKey, Buckets> {
        private final int max;

        Stripe(int max) {
            super(16, 0.75f, true);
            this.max = max;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteKey, Buckets> eldest) {
            return size() > max;
        }
    }
}
