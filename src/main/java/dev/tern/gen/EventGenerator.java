package dev.tern.gen;

import dev.tern.event.Event;
import dev.tern.event.EventJson;
import dev.tern.event.Hex;
import dev.tern.event.KeyPair;
import dev.tern.event.KindClass;
import dev.tern.event.Signer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * Deterministic synthetic Nostr data with a web-of-trust-like mix (for `tern gen`, tests and benchmarks).
 * Every event is a pure function of (seed, index): its own {@link Random} is seeded from both, so events
 * can be signed in parallel and the same seed always gives a byte-identical file. Kind-3 follow lists are
 * heavy-tailed (log-normal, hundreds of p tags typical, capped at 7,000, about 500 KB); replaceable and
 * addressable kinds come in several versions whose created_at jitter makes both older-after-newer and
 * newer-after-older arrivals; kind-5 deletions target earlier events (deleted after storing) and later
 * ones (tombstoned before they arrive). {@code badLines} invalid lines of every rejection kind, plus
 * empty lines, are spread evenly through the file.
 */
public final class EventGenerator {
    /** The kinds of invalid lines, in the order they are cycled through. */
    public enum BadLine { MALFORMED_JSON, BAD_ID, BAD_SIGNATURE, BAD_FIELD, LINE_TOO_LONG, INVALID_UTF8, EMPTY }

    /** A too-long line is this many bytes: just over the import's default 1 MiB line limit. */
    public static final int LONG_LINE_BYTES = (1 << 20) + 1024;

    private static final long BASE_TIME = 1_650_000_000L;
    private static final long SPAN_SECONDS = 2L * 365 * 86_400;
    private static final int MAX_FOLLOWS = 7_000;
    private static final int BLOCK = 2_048;
    private static final String[] WORDS = {
        "gm", "nostr", "relay", "zap", "bitcoin", "lightning", "freedom", "notes", "the", "a", "and", "of", "to",
        "is", "this", "that", "what", "why", "today", "coffee", "pura vida", "#nostr", "🤙", "⚡", "💜", "🫂",
        "👨‍👩‍👧", "日本語のテキスト", "中文内容", "한국어", "Привет", "naïve café", "\"quoted\"", "back\\slash",
        "tab\there", "line\nbreak", "crlf\r\n", "ctrl\u0001char", "bell\u0007", "del\u007f", "sep\u2028x",
        "para\u2029y", "https://example.com/p?q=1&r=2", "nostr:npub1sg6plzptd64u62a878hep2kev88swjh3tw00gjsfl8f237lmu63q0uf63m",
        "<b>html</b>", "{\"json\":true}", "\\u0000 literal", "ελληνικά", "עברית", "العربية"
    };
    private static final String[] HASHTAGS = {"nostr", "bitcoin", "zap", "art", "photography", "music", "dev", "grownostr", "日本"};

    private final long events;
    private final long seed;
    private final long[] badAfter; // sorted event indexes after which a bad line follows
    private final KeyPair[] authors;
    private final String[] authorHex;
    private final int threads;

    public EventGenerator(long events, long seed, int badLines, int threads) {
        if (events < 1) throw new IllegalArgumentException("events must be at least 1");
        this.events = events;
        this.seed = seed;
        this.threads = Math.max(1, threads);
        this.badAfter = new long[Math.max(0, badLines)];
        for (int b = 0; b < badAfter.length; b++) badAfter[b] = (long) ((b + 1) * (double) events / (badAfter.length + 1));
        int pool = (int) Math.max(4, Math.min(Integer.MAX_VALUE, events / 20));
        this.authors = new KeyPair[pool];
        this.authorHex = new String[pool];
        IntStream.range(0, pool).parallel().forEach(a -> {
            authors[a] = KeyPair.generate(new Random(mix(seed, -1 - a)));
            authorHex[a] = authors[a].publicKeyHex();
        });
    }

    /** Counts of what a generated file holds. */
    public record Summary(long events, long bytes, long[] badLines) {}

    /** Writes the whole file (JSONL, LF line ends), signing blocks of events on {@code threads} threads. */
    public Summary write(OutputStream out) throws IOException {
        long[] badCounts = new long[BadLine.values().length];
        long bytes = 0;
        int nextBad = 0;
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "gen-sign");
            t.setDaemon(true);
            return t;
        });
        try {
            // Blocks are signed ahead in parallel but written strictly in index order; at most 2 per thread in flight.
            ArrayDeque<Future<byte[][]>> inFlight = new ArrayDeque<>();
            long nextBlock = 0;
            long blocks = (events + BLOCK - 1) / BLOCK;
            for (long written = 0; written < blocks; written++) {
                while (nextBlock < blocks && inFlight.size() < 2 * threads) {
                    long start = nextBlock++ * BLOCK;
                    inFlight.add(pool.submit(() -> lines(start, Math.min(events, start + BLOCK))));
                }
                byte[][] lines = await(inFlight.poll());
                long start = written * BLOCK;
                for (int k = 0; k < lines.length; k++) {
                    out.write(lines[k]);
                    out.write('\n');
                    bytes += lines[k].length + 1;
                    while (nextBad < badAfter.length && badAfter[nextBad] == start + k) {
                        BadLine kind = BadLine.values()[nextBad % BadLine.values().length];
                        byte[] bad = badLine(kind, nextBad);
                        out.write(bad);
                        out.write('\n');
                        bytes += bad.length + 1;
                        badCounts[kind.ordinal()]++;
                        nextBad++;
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        out.flush();
        return new Summary(events, bytes, badCounts);
    }

    private byte[][] lines(long start, long end) {
        byte[][] out = new byte[(int) (end - start)][];
        for (long i = start; i < end; i++) out[(int) (i - start)] = event(i).json();
        return out;
    }

    /** The signed event at {@code index}. */
    public Event event(long index) {
        Template t = template(index);
        return Signer.sign(authors[t.author], t.createdAt, t.kind, t.tags, t.content, t.random);
    }

    private record Template(int author, long createdAt, int kind, List<List<String>> tags, String content, Random random) {
        byte[] id(String[] authorHex) {
            return EventJson.computeId(Hex.decodeLower(authorHex[author], 32), createdAt, kind, tags, content);
        }
    }

    /** The event's kind: the first draw of its generator, so a kind can be known without building the event. */
    private static int kindOf(Random r) {
        int p = r.nextInt(1000);
        if (p < 580) return 1;
        if (p < 740) return 7;
        if (p < 790) return 6;
        if (p < 830) return 0;
        if (p < 852) return 3;
        if (p < 882) return 10002;
        if (p < 902) return 10000;
        if (p < 929) return 30023;
        if (p < 954) return 5;
        if (p < 959) return 20001; // ephemeral: never stored
        return 1;
    }

    private int kindAt(long index) {
        return kindOf(new Random(mix(seed, index)));
    }

    private Template template(long index) {
        Random r = new Random(mix(seed, index));
        int kind = kindOf(r);
        int author = r.nextInt(authors.length);
        long createdAt = BASE_TIME + (long) (index * (double) SPAN_SECONDS / events);
        if (KindClass.of(kind) != KindClass.REGULAR) createdAt += r.nextInt(60 * 86_400) - 30 * 86_400;
        createdAt = Math.max(0, createdAt);
        List<List<String>> tags = new ArrayList<>();
        String content = "";
        switch (kind) {
            case 0 -> content = "{\"name\":\"" + words(r, 1, 3).replace("\"", "").replace("\\", "") + "\",\"about\":\""
                    + escapeJson(words(r, 5, 40)) + "\",\"picture\":\"https://example.com/a/" + r.nextInt(1_000_000)
                    + ".jpg\",\"nip05\":\"user" + author + "@example.com\",\"lud16\":\"user" + author + "@example.com\"}";
            case 3 -> {
                int n = (int) Math.min(MAX_FOLLOWS, Math.exp(Math.log(250) + 0.9 * r.nextGaussian()));
                for (int k = 0; k < n; k++) {
                    String pk = authorHex[r.nextInt(authorHex.length)];
                    tags.add(r.nextInt(10) == 0 ? List.of("p", pk, "wss://relay" + r.nextInt(50) + ".example.com") : List.of("p", pk));
                }
                if (r.nextBoolean()) content = "{\"wss://relay.example.com\":{\"read\":true,\"write\":true}}";
            }
            case 1 -> {
                content = words(r, 3, 40);
                if (r.nextInt(3) == 0) {
                    tags.add(List.of("e", randomHex(r), "", "root"));
                    tags.add(List.of("p", authorHex[r.nextInt(authorHex.length)]));
                }
                if (r.nextInt(4) == 0) tags.add(List.of("t", HASHTAGS[r.nextInt(HASHTAGS.length)]));
                int x = r.nextInt(200);
                if (x == 0) tags.add(List.of("expiration", Long.toString(createdAt + 3600))); // already expired
                if (x == 1) tags.add(List.of("expiration", "4102444800")); // 2100
            }
            case 6, 7 -> {
                Template target = referenceable(r, index);
                byte[] targetId = target.id(authorHex);
                tags.add(List.of("e", Hex.encode(targetId)));
                tags.add(List.of("p", authorHex[target.author]));
                tags.add(List.of("k", Integer.toString(target.kind)));
                content = kind == 6 ? "" : pick(r, "+", "+", "🤙", "❤️", "-", "⚡");
            }
            case 10002 -> {
                int n = 2 + r.nextInt(8);
                for (int k = 0; k < n; k++) {
                    String url = "wss://relay" + r.nextInt(200) + ".example.com";
                    tags.add(switch (r.nextInt(3)) {
                        case 0 -> List.of("r", url, "read");
                        case 1 -> List.of("r", url, "write");
                        default -> List.of("r", url);
                    });
                }
            }
            case 10000 -> {
                int n = 1 + r.nextInt(20);
                for (int k = 0; k < n; k++) tags.add(List.of("p", authorHex[r.nextInt(authorHex.length)]));
            }
            case 30023 -> {
                tags.add(List.of("d", "post-" + r.nextInt(5)));
                tags.add(List.of("title", words(r, 2, 8)));
                tags.add(List.of("published_at", Long.toString(createdAt)));
                tags.add(List.of("t", HASHTAGS[r.nextInt(HASHTAGS.length)]));
                content = "# " + words(r, 2, 6) + "\n\n" + words(r, 100, 400);
            }
            case 5 -> author = deletion(r, index, tags); // NIP-09: the deleter is the deleted event's author
            default -> content = words(r, 1, 10); // ephemeral
        }
        return new Template(author, createdAt, kind, tags, content, r);
    }

    /** Tags of a kind-5 deletion of an earlier event (mostly) or a later one (it arrives tombstoned); returns its author. */
    private int deletion(Random r, long index, List<List<String>> tags) {
        long target = r.nextInt(4) == 0 ? index + 1 + r.nextInt(2_000) : index - 1 - r.nextInt(2_000);
        if (target < 0 || target >= events) target = index == 0 ? Math.min(events - 1, 1) : index - 1;
        while (target != index && (kindAt(target) == 5 || kindAt(target) == 6 || kindAt(target) == 7)) {
            target = target > index ? target - 1 : target + 1;
        }
        if (target == index) { // nothing deletable nearby: delete a random id of this event's random author
            tags.add(List.of("e", randomHex(r)));
            return r.nextInt(authors.length);
        }
        Template t = template(target);
        tags.add(List.of("e", Hex.encode(t.id(authorHex))));
        if (KindClass.of(t.kind) == KindClass.ADDRESSABLE) tags.add(List.of("a", t.kind + ":" + authorHex[t.author] + ":" + firstD(t.tags)));
        tags.add(List.of("k", Integer.toString(t.kind)));
        return t.author;
    }

    /** An earlier event that a reaction or repost can point at (never itself a 5, 6 or 7, so no recursion). */
    private Template referenceable(Random r, long index) {
        long target = index == 0 ? 0 : index - 1 - r.nextInt((int) Math.min(index, 5_000));
        while (target > 0 && (kindAt(target) == 5 || kindAt(target) == 6 || kindAt(target) == 7)) target--;
        if (target == index || kindAt(target) == 5 || kindAt(target) == 6 || kindAt(target) == 7) {
            return new Template(r.nextInt(authors.length), BASE_TIME, 1, List.of(), "hello", r);
        }
        return template(target);
    }

    private byte[] badLine(BadLine kind, int n) {
        // A fresh valid kind-1 note (its own seed past the last index, so never a duplicate), then broken.
        Random r = new Random(mix(seed, events + n));
        Event e = Signer.sign(authors[r.nextInt(authors.length)], BASE_TIME + SPAN_SECONDS, 1, List.of(),
                "bad line " + n + ": " + words(r, 3, 20), r);
        String json = e.toString();
        String id = e.idHex();
        return switch (kind) {
            case MALFORMED_JSON -> json.substring(0, json.length() / 2).getBytes(StandardCharsets.UTF_8);
            case BAD_ID -> json.replace(id, id.substring(0, 63) + (id.charAt(63) == '0' ? '1' : '0')).getBytes(StandardCharsets.UTF_8);
            case BAD_SIGNATURE -> {
                String sig = Hex.encode(e.sig());
                yield json.replace(sig, sig.substring(0, 10) + (sig.charAt(10) == '0' ? '1' : '0') + sig.substring(11)).getBytes(StandardCharsets.UTF_8);
            }
            case BAD_FIELD -> json.replace("\"kind\":" + e.kind(), "\"kind\":\"" + e.kind() + "\"").getBytes(StandardCharsets.UTF_8);
            case LINE_TOO_LONG -> {
                byte[] b = new byte[LONG_LINE_BYTES];
                java.util.Arrays.fill(b, (byte) 'x');
                byte[] head = "{\"content\":\"".getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(head, 0, b, 0, head.length);
                yield b;
            }
            case INVALID_UTF8 -> {
                byte[] b = json.getBytes(StandardCharsets.UTF_8);
                int at = json.indexOf("\"content\":\"") + 11;
                b[at] = (byte) 0xff;
                yield b;
            }
            case EMPTY -> new byte[0];
        };
    }

    private static String words(Random r, int min, int max) {
        int n = min + r.nextInt(max - min + 1);
        StringBuilder sb = new StringBuilder(n * 7);
        for (int k = 0; k < n; k++) {
            if (k > 0) sb.append(' ');
            sb.append(WORDS[r.nextInt(WORDS.length)]);
        }
        return sb.toString();
    }

    private static String escapeJson(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
    }

    private static String pick(Random r, String... options) {
        return options[r.nextInt(options.length)];
    }

    private static String randomHex(Random r) {
        byte[] b = new byte[32];
        r.nextBytes(b);
        return Hex.encode(b);
    }

    private static String firstD(List<List<String>> tags) {
        for (List<String> t : tags) if (t.get(0).equals("d")) return t.get(1);
        return "";
    }

    /** SplitMix64 finalizer over (seed, index): well-spread, independent per-event seeds. */
    static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static <T> T await(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while generating");
        } catch (ExecutionException e) {
            throw new IllegalStateException("generating events failed", e.getCause());
        }
    }
}
