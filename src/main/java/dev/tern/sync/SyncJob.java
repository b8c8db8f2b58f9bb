package dev.tern.sync;

import dev.tern.event.ByteKey;
import dev.tern.event.Event;
import dev.tern.event.EventParser;
import dev.tern.event.Hex;
import dev.tern.event.JsonBytes;
import dev.tern.event.KeyPair;
import dev.tern.event.ParseResult;
import dev.tern.event.Signer;
import dev.tern.filter.Filter;
import dev.tern.ingest.ImportReport;
import dev.tern.ingest.ImportSettings;
import dev.tern.store.EventStore;
import dev.tern.store.StoreSnapshot;
import dev.tern.store.Visibility;
import dev.tern.store.EventWrites;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * `tern sync`: reconciles the store's events matching a filter with a remote relay by NIP-77, then fetches what
 * the store lacks (REQ by ids, a batch at a time, into the import path) and sends what the remote lacks (EVENT,
 * a bounded number awaiting their OK). It moves each round's findings before the next round, so what it holds
 * is one round's ids, never the whole difference. Every wait has a time-out.
 */
public final class SyncJob {
    private static final Logger log = LoggerFactory.getLogger("sync");
    /**
     * Our negentropy messages when the remote states no {@code max_message_length} (NIP-11): hex-encoded they stay
     * under the 128 KiB limit common among relays.
     */
    static final int DEFAULT_FRAME_BYTES = 60_000;
    /** The largest message we write, however much the remote accepts: a frame is built and held in memory. */
    static final int MAX_FRAME_BYTES = 512 * 1024;
    /** Room in a message for everything around the hex: the JSON array, the subscription id. */
    private static final int ENVELOPE_BYTES = 256;
    /** The longest wait for the NIP-11 document, which only informs the sync. */
    private static final Duration INFO_TIMEOUT = Duration.ofSeconds(10);
    /**
     * The first answer of a relay that lists NIP-77 may read its whole set first (the checkpoints); it gets this many
     * times the time-out.
     */
    static final int FIRST_ANSWER_TIMEOUTS = 10;
    static final int FETCH_BATCH = 250;
    static final int UPLOADS_IN_FLIGHT = 50;
    static final int RATE_LIMIT_RETRIES = 5;
    private static final String NEG_SUB = "tern-sync";
    private static final String FETCH_SUB = "tern-fetch";
    private static final EventParser UNVERIFIED = new EventParser(false);

    /**
     * @param filterJson the filter as sent to the remote (NIP-01 JSON); {@code filter} is the same, parsed
     * @param authKey    signs NIP-42 AUTH when the remote asks for it; null: never authenticate
     * @param timeout    the longest wait for any one answer of the remote
     */
    public record Options(URI url, Filter filter, String filterJson, Direction direction, boolean dryRun, KeyPair authKey,
                          Duration timeout, int maxPerSecond) {}

    private final Options options;
    private final EventStore store;
    private final EventWrites writer;
    private final ImportSettings importSettings;
    private final AtomicLong have = new AtomicLong(), need = new AtomicLong(), uploaded = new AtomicLong();
    /** The negentropy messages' own bytes (hex, as on the wire), apart from the events moved. */
    private long negSent, negReceived;
    private final Map<String, Long> refused = new TreeMap<>();
    private volatile int rounds;
    private volatile Download download;
    private RelayLink link;
    private RemoteInfo info = RemoteInfo.UNKNOWN;
    private long localItems;
    private String challenge;
    private boolean authenticated;

    public SyncJob(Options options, EventStore store, EventWrites writer, ImportSettings importSettings) {
        this.options = options;
        this.store = store;
        this.writer = writer;
        this.importSettings = importSettings;
    }

    /** A progress line for the operator, from any thread. */
    public String progress() {
        Download d = download;
        long fetched = d == null ? 0 : d.job().counts().eventsProcessed() + d.job().counts().rejectedTotal();
        return String.format("round %d: only here %d, only there %d, fetched %d, uploaded %d", rounds, have.get(), need.get(),
                fetched, uploaded.get());
    }

    public SyncReport run() {
        long t0 = System.nanoTime();
        String failure = null;
        ImportReport fetched = null;
        boolean fetching = options.direction().down() && !options.dryRun();
        try {
            info = RemoteInfo.fetch(options.url(), INFO_TIMEOUT.compareTo(options.timeout()) < 0 ? INFO_TIMEOUT : options.timeout());
            if (!info.mayNegentropy()) {
                throw new SyncException("the relay does not support NIP-77 sync: its NIP-11 document does not list 77 in supported_nips");
            }
            try (RelayLink l = RelayLink.connect(options.url(), options.timeout());
                 StoreSnapshot snapshot = store.snapshot(Visibility.ALL)) { // the operator's own store
                link = l;
                StoreItems items = new StoreItems(snapshot, options.filter(), options.maxPerSecond());
                if (fetching) download = new Download(options.url().toString(), writer, importSettings);
                try {
                    reconcile(items);
                } finally {
                    if (download != null) fetched = download.finish();
                }
            }
        } catch (IOException | NegentropyException | SyncException e) {
            failure = e.getMessage();
        } catch (RuntimeException e) {
            log.warn("sync failed", e);
            failure = e.toString();
        }
        long sent = link == null ? 0 : link.bytesOut(), received = link == null ? 0 : link.bytesIn();
        return new SyncReport(options.url().toString(), options.filterJson(), options.direction(), options.dryRun(), localItems,
                localItems - have.get() + need.get(), have.get(), need.get(), rounds, negSent, negReceived, fetched, uploaded.get(),
                Map.copyOf(refused), sent, received, (System.nanoTime() - t0) / 1e9, failure);
    }

    /**
     * Our messages' size: what the remote's NIP-11 {@code max_message_length} holds once hex-encoded, at most
     * {@link #MAX_FRAME_BYTES}; {@link #DEFAULT_FRAME_BYTES} when it states none.
     */
    static int frameBytes(RemoteInfo info) {
        if (info.maxMessageLength() == null) return DEFAULT_FRAME_BYTES;
        int fits = (info.maxMessageLength() - ENVELOPE_BYTES) / 2;
        return Math.max(Negentropy.MIN_FRAME_SIZE, Math.min(MAX_FRAME_BYTES, fits));
    }

    private void reconcile(StoreItems items) throws IOException, NegentropyException, SyncException {
        Negentropy negentropy = new Negentropy(items, frameBytes(info));
        byte[] first = negentropy.initiate();
        localItems = negentropy.count();
        negSent += 2L * first.length;
        byte[] answer = openSession(first);
        while (true) {
            rounds++;
            negReceived += 2L * answer.length;
            List<byte[]> onlyHere = new ArrayList<>(), onlyThere = new ArrayList<>();
            byte[] next = negentropy.reconcile(answer, new Negentropy.Differences() {
                public void have(byte[] id) { onlyHere.add(id); }
                public void need(byte[] id) { onlyThere.add(id); }
            });
            have.addAndGet(onlyHere.size());
            need.addAndGet(onlyThere.size());
            if (!options.dryRun()) {
                if (options.direction().down()) fetch(onlyThere);
                if (options.direction().up()) upload(onlyHere);
            }
            if (next == null) {
                link.send(array("NEG-CLOSE", NEG_SUB));
                return;
            }
            negSent += 2L * next.length;
            link.send(array("NEG-MSG", NEG_SUB, Hex.encode(next)));
            answer = awaitNeg(false);
        }
    }

    /** NEG-OPEN, authenticating and opening again once if the remote asks for AUTH. */
    private byte[] openSession(byte[] first) throws IOException, SyncException {
        String open = "[\"NEG-OPEN\"," + quote(NEG_SUB) + "," + options.filterJson() + "," + quote(Hex.encode(first)) + "]";
        link.send(open);
        try {
            return awaitNeg(true);
        } catch (AuthRequired e) {
            authenticate(e.getMessage());
            link.send(open);
            return awaitNeg(true);
        }
    }

    /** A NEG-OPEN the remote refused for want of NIP-42 AUTH. */
    private static final class AuthRequired extends SyncException {
        AuthRequired(String reason) {
            super(reason);
        }
    }

    private byte[] awaitNeg(boolean first) throws IOException, SyncException {
        Duration wait = first && info.supportedNips() != null ? options.timeout().multipliedBy(FIRST_ANSWER_TIMEOUTS) : options.timeout();
        long deadline = System.nanoTime() + wait.toNanos();
        String why = !first ? "no NEG-MSG answer within " + wait.toSeconds() + " s (the time-out)"
                : info.supportedNips() != null ? "no answer to NEG-OPEN within " + wait.toSeconds() + " s (" + FIRST_ANSWER_TIMEOUTS
                        + " times the time-out), though the relay lists NIP-77"
                : "no answer to NEG-OPEN within " + wait.toSeconds() + " s (the time-out); the relay's NIP-11 document could not be "
                        + "read, so it may not support NIP-77 sync";
        while (true) {
            Incoming m = nextBefore(deadline, why);
            switch (m.type()) {
                case "NEG-MSG" -> {
                    if (!m.string(0).equals(NEG_SUB)) continue;
                    try {
                        return Hex.decode(m.string(1));
                    } catch (IllegalArgumentException e) {
                        throw new SyncException("the relay sent a NEG-MSG that is not hex");
                    }
                }
                case "NEG-ERR" -> {
                    if (!m.string(0).equals(NEG_SUB)) continue;
                    String reason = m.string(1);
                    if (first && reason.startsWith("auth-required:") && canAuthenticate()) throw new AuthRequired(reason);
                    throw new SyncException("the relay ended the sync: " + reason);
                }
                case "NOTICE" -> {
                    // a relay without NIP-77 answers an unknown message type with a NOTICE (NIP-01)
                    if (first) throw new SyncException("the relay does not support NIP-77 sync; it answered NEG-OPEN with: " + m.string(0));
                    log.info("relay notice: {}", m.string(0));
                }
                case "CLOSED" -> {
                    if (first && m.string(0).equals(NEG_SUB)) {
                        throw new SyncException("the relay does not support NIP-77 sync; it answered NEG-OPEN with CLOSED: " + m.string(1));
                    }
                }
                default -> { }
            }
        }
    }

    /** The next message, remembering AUTH challenges on the way; a SyncException with {@code why} at the deadline. */
    private Incoming nextBefore(long deadline, String why) throws IOException, SyncException {
        while (true) {
            long left = deadline - System.nanoTime();
            String raw = left <= 0 ? null : link.next(Duration.ofNanos(left));
            if (raw == null) throw new SyncException(why);
            Incoming m = Incoming.parse(raw);
            if (m.type().equals("AUTH") && !m.string(0).isEmpty()) {
                challenge = m.string(0);
                continue;
            }
            return m;
        }
    }

    private boolean canAuthenticate() {
        return options.authKey() != null && !authenticated;
    }

    /** NIP-42: signs the remote's challenge with the operator's key and waits for the OK. */
    private void authenticate(String why) throws IOException, SyncException {
        if (challenge == null) throw new SyncException("the relay asks for AUTH (" + why + ") but sent no challenge");
        Event auth = Signer.sign(options.authKey(), System.currentTimeMillis() / 1000, 22242,
                List.of(List.of("relay", options.url().toString()), List.of("challenge", challenge)), "");
        link.send("[\"AUTH\"," + new String(auth.json(), StandardCharsets.UTF_8) + "]");
        long deadline = System.nanoTime() + options.timeout().toNanos();
        while (true) {
            Incoming m = nextBefore(deadline, "no answer to AUTH within " + options.timeout().toSeconds() + " s");
            if (m.type().equals("OK") && m.string(0).equals(auth.idHex())) {
                if (!Boolean.TRUE.equals(m.flag())) throw new SyncException("the relay refused our AUTH: " + m.string(1));
                authenticated = true;
                log.info("authenticated to {} as {}", options.url(), options.authKey().publicKeyHex());
                return;
            }
        }
    }

    // ---- down: REQ by ids ----

    private void fetch(List<byte[]> ids) throws IOException, SyncException {
        for (int from = 0; from < ids.size(); from += FETCH_BATCH) {
            fetchBatch(ids.subList(from, Math.min(ids.size(), from + FETCH_BATCH)), true);
        }
    }

    private void fetchBatch(List<byte[]> ids, boolean mayAuthenticate) throws IOException, SyncException {
        Set<ByteKey> wanted = new HashSet<>();
        JsonBytes req = new JsonBytes(80 + ids.size() * 67).ascii("[\"REQ\",").string(FETCH_SUB).ascii(",{\"ids\":[");
        for (int i = 0; i < ids.size(); i++) {
            if (i > 0) req.raw((byte) ',');
            req.hexString(ids.get(i));
            wanted.add(ByteKey.of(ids.get(i)));
        }
        link.send(new String(req.ascii("]}]").toByteArray(), StandardCharsets.US_ASCII));
        while (true) {
            long deadline = System.nanoTime() + options.timeout().toNanos();
            Incoming m = nextBefore(deadline, "no events or EOSE within " + options.timeout().toSeconds() + " s while fetching");
            if (!m.string(0).equals(FETCH_SUB)) continue;
            switch (m.type()) {
                case "EVENT" -> {
                    if (m.object() != null && UNVERIFIED.parse(m.object()) instanceof ParseResult.Parsed p
                            && wanted.remove(ByteKey.of(p.event().id()))) {
                        download.write(m.object()); // verified, counted and committed by the import
                    }
                }
                case "EOSE" -> {
                    link.send(array("CLOSE", FETCH_SUB));
                    if (!wanted.isEmpty()) refuse("not served by the relay", wanted.size());
                    return;
                }
                case "CLOSED" -> {
                    String reason = m.string(1);
                    if (mayAuthenticate && reason.startsWith("auth-required:") && canAuthenticate()) {
                        authenticate(reason);
                        fetchBatch(ids, false);
                    } else {
                        refuse("fetch " + prefix(reason), wanted.size());
                    }
                    return;
                }
                default -> { }
            }
        }
    }

    // ---- up: EVENT, honouring OK ----

    private void upload(List<byte[]> ids) throws IOException, SyncException {
        ArrayDeque<byte[]> queue = new ArrayDeque<>(ids);
        Map<ByteKey, Integer> tries = new HashMap<>();
        Map<ByteKey, byte[]> inFlight = new HashMap<>();
        while (!queue.isEmpty() || !inFlight.isEmpty()) {
            while (!queue.isEmpty() && inFlight.size() < UPLOADS_IN_FLIGHT) {
                byte[] id = queue.poll();
                Optional<byte[]> json = store.get(id);
                if (json.isEmpty()) continue; // removed here since the snapshot (deleted, expired): nothing to send
                inFlight.put(ByteKey.of(id), id);
                link.send("[\"EVENT\"," + new String(json.get(), StandardCharsets.UTF_8) + "]");
            }
            if (inFlight.isEmpty()) continue;
            long deadline = System.nanoTime() + options.timeout().toNanos();
            Incoming m = nextBefore(deadline, "no OK within " + options.timeout().toSeconds() + " s for " + inFlight.size() + " sent events");
            if (!m.type().equals("OK") || m.string(0).length() != 64) continue;
            byte[] id = inFlight.remove(ByteKey.of(Hex.decode(m.string(0))));
            if (id == null) continue;
            String reason = m.string(1);
            if (Boolean.TRUE.equals(m.flag())) {
                uploaded.incrementAndGet();
            } else if (reason.startsWith("auth-required:") && canAuthenticate()) {
                authenticate(reason);
                queue.addFirst(id);
            } else if (reason.startsWith("rate-limited:") && tries.merge(ByteKey.of(id), 1, Integer::sum) <= RATE_LIMIT_RETRIES) {
                backOff(tries.get(ByteKey.of(id)), inFlight);
                queue.addFirst(id);
            } else {
                refuse(prefix(reason), 1);
            }
        }
    }

    /**
     * Waits before sending again after a rate-limited answer: 1, 2, 4 ... seconds, reading (and keeping) the OKs
     * of the events still in flight meanwhile.
     */
    private void backOff(int attempt, Map<ByteKey, byte[]> inFlight) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(1L << (attempt - 1)).toNanos();
        while (System.nanoTime() < deadline && !inFlight.isEmpty()) {
            String raw = link.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (raw == null) return;
            Incoming m = Incoming.parse(raw);
            if (m.type().equals("OK") && m.string(0).length() == 64 && inFlight.remove(ByteKey.of(Hex.decode(m.string(0)))) != null) {
                if (Boolean.TRUE.equals(m.flag())) uploaded.incrementAndGet();
                else refuse(prefix(m.string(1)), 1);
            }
        }
        if (inFlight.isEmpty()) {
            String raw = link.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (raw != null) log.debug("while backing off: {}", raw);
        }
    }

    private synchronized void refuse(String reason, long n) {
        refused.merge(reason, n, Long::sum);
    }

    /** A refusal's machine-readable prefix (NIP-01), or the whole reason if it has none. */
    private static String prefix(String reason) {
        int colon = reason.indexOf(':');
        return colon > 0 && colon < 20 ? reason.substring(0, colon + 1) : reason;
    }

    private static String array(String... strings) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < strings.length; i++) sb.append(i == 0 ? "" : ",").append(quote(strings[i]));
        return sb.append(']').toString();
    }

    private static String quote(String s) {
        return new String(new JsonBytes(s.length() + 2).string(s).toByteArray(), StandardCharsets.UTF_8);
    }
}
