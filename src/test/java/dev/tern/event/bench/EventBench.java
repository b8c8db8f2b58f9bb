package dev.tern.event.bench;

import dev.tern.event.Event;
import dev.tern.event.EventParser;
import dev.tern.event.KeyPair;
import dev.tern.event.ParseResult;
import dev.tern.event.Schnorr;
import dev.tern.event.Signer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

/**
 * Throughput of the event core on a realistic mix: 60% kind 1 notes (~300 B, e/p tags), 25% kind 7
 * reactions, 10% kind 0 profiles, 5% kind 3 follow lists (100-1000 p tags). Three stages, each with 1
 * and 2 threads: parse+canonicalize+hash (EventParser without verification), verify only
 * (Schnorr.verify on pre-parsed events), and everything (EventParser with verification).
 * Run through bench/event.sh; args: [seconds per measurement, default 5].
 */
public final class EventBench {
    private interface Work {
        boolean run(int i);
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        List<byte[]> inputs = generate(2000, new Random(1));
        long bytes = inputs.stream().mapToLong(b -> b.length).sum();
        System.out.printf("mix: %d events, %.1f MB, avg %d B/event; %d s per measurement; %d available processors; %s%n",
                inputs.size(), bytes / 1e6, bytes / inputs.size(), (long) seconds, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.version"));

        EventParser noVerify = new EventParser(false);
        EventParser verify = new EventParser(true);
        List<Event> events = inputs.stream().map(b -> ((ParseResult.Parsed) noVerify.parse(b)).event()).toList();

        byte[][] in = inputs.toArray(byte[][]::new);
        Event[] ev = events.toArray(Event[]::new);
        Work parse = i -> noVerify.parse(in[i % in.length]) instanceof ParseResult.Parsed;
        Work verifyOnly = i -> {
            Event e = ev[i % ev.length];
            return Schnorr.verify(e.sig(), e.id(), e.pubkey());
        };
        Work all = i -> verify.parse(in[i % in.length]) instanceof ParseResult.Parsed;

        System.out.printf("%-34s %8s %14s %14s %10s%n", "stage", "threads", "events/s", "per core", "MB/s");
        for (int threads : new int[] {1, 2}) {
            report("parse+canonicalize+hash", threads, seconds, parse, bytes / (double) in.length);
            report("verify only", threads, seconds, verifyOnly, bytes / (double) in.length);
            report("parse+canonicalize+hash+verify", threads, seconds, all, bytes / (double) in.length);
        }
    }

    /** Warms up for a third of the time, then counts completed operations across {@code threads}. */
    private static void report(String stage, int threads, double seconds, Work work, double avgBytes) throws InterruptedException {
        run(threads, seconds / 3, work);
        long ops = run(threads, seconds, work);
        double perSecond = ops / seconds;
        System.out.printf("%-34s %8d %14.0f %14.0f %10.1f%n", stage, threads, perSecond, perSecond / threads, perSecond * avgBytes / 1e6);
    }

    private static long run(int threads, double seconds, Work work) throws InterruptedException {
        LongAdder done = new LongAdder();
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        CountDownLatch finished = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            int offset = t * 997;
            Thread.ofPlatform().start(() -> {
                long n = 0;
                for (int i = offset; System.nanoTime() < deadline; i++) {
                    if (!work.run(i)) throw new IllegalStateException("benchmark input rejected");
                    n++;
                }
                done.add(n);
                finished.countDown();
            });
        }
        finished.await();
        return done.sum();
    }

    static List<byte[]> generate(int count, Random r) {
        List<KeyPair> authors = new ArrayList<>();
        for (int i = 0; i < 50; i++) authors.add(KeyPair.generate(r));
        List<byte[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            KeyPair k = authors.get(r.nextInt(authors.size()));
            long t = 1_700_000_000L + r.nextInt(10_000_000);
            int pick = r.nextInt(100);
            Event e;
            if (pick < 60) {
                List<List<String>> tags = new ArrayList<>();
                for (int j = r.nextInt(4); j > 0; j--) tags.add(List.of(r.nextBoolean() ? "e" : "p", hex(r), "wss://relay.example.com"));
                e = Signer.sign(k, t, 1, tags, text(r, 200 + r.nextInt(200)), r);
            } else if (pick < 85) {
                e = Signer.sign(k, t, 7, List.of(List.of("e", hex(r)), List.of("p", hex(r))), r.nextBoolean() ? "+" : "🤙", r);
            } else if (pick < 95) {
                String profile = "{\"name\":\"" + text(r, 12) + "\",\"about\":\"" + text(r, 250)
                        + "\",\"picture\":\"https://example.com/a.png\",\"nip05\":\"me@example.com\"}";
                e = Signer.sign(k, t, 0, List.of(), profile, r);
            } else {
                List<List<String>> follows = new ArrayList<>();
                for (int j = 100 + r.nextInt(901); j > 0; j--) follows.add(List.of("p", hex(r)));
                e = Signer.sign(k, t, 3, follows, "", r);
            }
            out.add(e.json());
        }
        return out;
    }

    private static String hex(Random r) {
        StringBuilder sb = new StringBuilder(64);
        for (int i = 0; i < 64; i++) sb.append(Character.forDigit(r.nextInt(16), 16));
        return sb.toString();
    }

    /** Mostly ASCII words with some punctuation, newlines, quotes and non-ASCII, like real notes. */
    private static String text(Random r, int length) {
        String[] words = {"nostr", "relay", "the", "a", "bitcoin", "zap", "hello", "gm", "über", "日本", "\"quote\"", "line\n", "🤙", "https://example.com/x"};
        StringBuilder sb = new StringBuilder(length + 20);
        while (sb.length() < length) sb.append(words[r.nextInt(words.length)]).append(' ');
        return sb.toString();
    }
}
