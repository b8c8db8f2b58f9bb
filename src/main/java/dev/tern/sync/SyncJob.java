package dev.tern.sync;

import dev.tern.event.Event;
import dev.tern.event.Hex;
import dev.tern.event.JsonBytes;
import dev.tern.event.KeyPair;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * `tern sync`: reconciles the store's events matching a filter with a remote relay by NIP-77, and meanwhile, on the
 * same connection, fetches what the store lacks ({@link Fetches}, into the import path) and sends what the remote
 * lacks ({@link Uploads}), as each round finds them. One thread reads every message and moves each part along, so
 * uploads paced to the remote never hold up the rounds. What it holds is bounded: once {@link #MAX_PENDING} ids
 * wait to be moved, the next round waits for them. Every wait has a time-out.
 */
public final class SyncJob implements SyncConnection {
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
    /** Ids found and not yet moved (about 60 bytes each) past which the reconciliation waits for the transfers. */
    static final int MAX_PENDING = 50_000;
    /** The shortest wait for a message: the inbox is polled in milliseconds. */
    private static final long MIN_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final String NEG_SUB = "tern-sync";

    /**
     * @param filterJson the filter as sent to the remote (NIP-01 JSON); {@code filter} is the same, parsed
     * @param authKey    signs NIP-42 AUTH, as soon as the remote sends its challenge (a relay may exempt its operators
     *                   from its rate limits, as tern does its admins); null: never authenticate
     * @param timeout    the longest wait for any one answer of the remote
     */
    public record Options(URI url, Filter filter, String filterJson, Direction direction, boolean dryRun, KeyPair authKey,
                          Duration timeout, int maxPerSecond) {}

    private final Options options;
    private final EventStore store;
    private final EventWrites writer;
    private final ImportSettings importSettings;
    private final AtomicLong have = new AtomicLong(), need = new AtomicLong();
    /** The negentropy messages' own bytes (hex, as on the wire), apart from the events moved. */
    private long negSent, negReceived;
    private final Map<String, Long> refused = new TreeMap<>();
    private volatile int rounds;
    private volatile Download download;
    private volatile Uploads uploads;
    private Fetches fetches;
    private RelayLink link;
    private RemoteInfo info = RemoteInfo.UNKNOWN;
    private long localItems;
    // NIP-42: the remote's challenge, our AUTH awaiting its OK (its id, when it was sent), and how it ended
    private String challenge;
    private String authId;
    private long authSentAt;
    private boolean authenticated;
    private String authRefusal;

    public SyncJob(Options options, EventStore store, EventWrites writer, ImportSettings importSettings) {
        this.options = options;
        this.store = store;
        this.writer = writer;
        this.importSettings = importSettings;
    }

    /** A progress line for the operator, from any thread. */
    public String progress() {
        Download d = download;
        Uploads u = uploads;
        long fetched = d == null ? 0 : d.job().counts().eventsProcessed() + d.job().counts().rejectedTotal();
        return String.format("round %d: only here %d, only there %d, fetched %d, uploaded %d", rounds, have.get(), need.get(),
                fetched, u == null ? 0 : u.uploaded());
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
                long timeout = options.timeout().toNanos();
                if (fetching) {
                    download = new Download(options.url().toString(), writer, importSettings);
                    fetches = new Fetches(download, this, timeout);
                }
                if (options.direction().up() && !options.dryRun()) uploads = new Uploads(store, this, timeout);
                try {
                    reconcile(items);
                    moveUntil(() -> pending() == 0); // the last rounds' transfers
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
        long up = uploads == null ? 0 : uploads.uploaded();
        return new SyncReport(options.url().toString(), options.filterJson(), options.direction(), options.dryRun(), localItems,
                localItems - have.get() + need.get(), have.get(), need.get(), rounds, negSent, negReceived, fetched, up,
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
            if (fetches != null) fetches.add(onlyThere);
            if (uploads != null) uploads.add(onlyHere);
            if (next == null) {
                link.send(array("NEG-CLOSE", NEG_SUB));
                return;
            }
            moveUntil(() -> pending() <= MAX_PENDING); // the transfers catch up before the next round adds to them
            negSent += 2L * next.length;
            link.send(array("NEG-MSG", NEG_SUB, Hex.encode(next)));
            answer = awaitNeg(false);
        }
    }

    /** Ids found and not yet moved. */
    private int pending() {
        return (uploads == null ? 0 : uploads.pending()) + (fetches == null ? 0 : fetches.pending());
    }

    /** NEG-OPEN, authenticating and opening again once if the remote asks for AUTH. */
    private byte[] openSession(byte[] first) throws IOException, SyncException {
        String open = "[\"NEG-OPEN\"," + quote(NEG_SUB) + "," + options.filterJson() + "," + quote(Hex.encode(first)) + "]";
        link.send(open);
        try {
            return awaitNeg(true);
        } catch (AuthRequired e) {
            if (options.authKey() != null && challenge == null && authId == null && !authenticated) {
                throw new SyncException("the relay asks for AUTH (" + e.getMessage() + ") but sent no challenge");
            }
            if (!authenticateFor(e.getMessage())) throw new SyncException("the relay ended the sync: " + e.getMessage());
            moveUntil(() -> authId == null);
            if (!authenticated) throw new SyncException("the relay refused our AUTH: " + authRefusal);
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
            Incoming m = read(deadline, why, null);
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
                    if (first && reason.startsWith("auth-required:") && options.authKey() != null && !authenticated) {
                        throw new AuthRequired(reason);
                    }
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

    /** Moves the transfers (and authentication) along until {@code done} holds; each has its own time-out. */
    private void moveUntil(BooleanSupplier done) throws IOException, SyncException {
        read(Long.MAX_VALUE, "", done);
    }

    /**
     * The next message that is not an upload's, a fetch's or authentication's, moving those along meanwhile; a
     * SyncException with {@code why} at the deadline. With {@code until}, it reads until that holds and returns null.
     */
    private Incoming read(long deadline, String why, BooleanSupplier until) throws IOException, SyncException {
        while (true) {
            long now = System.nanoTime();
            long wake = Math.min(deadline, pump(now));
            if (until != null && until.getAsBoolean()) return null;
            if (now >= deadline) throw new SyncException(why);
            String raw = link.next(Duration.ofNanos(Math.max(MIN_WAIT_NANOS, wake - now)));
            if (raw == null) continue;
            Incoming m = Incoming.parse(raw);
            now = System.nanoTime();
            if (m.type().equals("AUTH") && !m.string(0).isEmpty()) {
                challenge = m.string(0);
                if (options.authKey() != null && !authenticated && authId == null && authRefusal == null) sendAuth();
            } else if (authId != null && m.type().equals("OK") && m.string(0).equals(authId)) {
                authAnswered(m);
            } else if ((uploads == null || !uploads.take(m, now)) && (fetches == null || !fetches.take(m, now))) {
                if (until == null) return m;
                if (m.type().equals("NOTICE")) log.info("relay notice: {}", m.string(0));
            }
        }
    }

    /** Moves the transfers along; returns when they next need a turn. */
    private long pump(long now) throws IOException, SyncException {
        long wake = Long.MAX_VALUE;
        if (authId != null) {
            if (now - authSentAt > options.timeout().toNanos()) {
                throw new SyncException("no answer to AUTH within " + options.timeout().toSeconds() + " s");
            }
            wake = authSentAt + options.timeout().toNanos() + 1;
        }
        if (uploads != null) wake = Math.min(wake, uploads.pump(now));
        if (fetches != null) wake = Math.min(wake, fetches.pump(now));
        return wake;
    }

    @Override
    public void send(String message) throws IOException {
        link.send(message);
    }

    @Override
    public boolean authenticateFor(String reason) throws IOException {
        if (authId != null) return true;
        if (authenticated || authRefusal != null || options.authKey() == null || challenge == null) return false;
        sendAuth();
        return true;
    }

    @Override
    public boolean authPending() {
        return authId != null;
    }

    /** NIP-42: signs the remote's challenge with the operator's key; its OK comes as any other message. */
    private void sendAuth() throws IOException {
        Event auth = Signer.sign(options.authKey(), System.currentTimeMillis() / 1000, 22242,
                List.of(List.of("relay", options.url().toString()), List.of("challenge", challenge)), "");
        authId = auth.idHex();
        authSentAt = System.nanoTime();
        link.send("[\"AUTH\"," + new String(auth.json(), StandardCharsets.UTF_8) + "]");
    }

    private void authAnswered(Incoming ok) {
        authId = null;
        if (Boolean.TRUE.equals(ok.flag())) {
            authenticated = true;
            log.info("authenticated to {} as {}", options.url(), options.authKey().publicKeyHex());
        } else {
            authRefusal = ok.string(1);
            log.warn("the relay {} refused our AUTH: {}", options.url(), authRefusal);
        }
    }

    @Override
    public synchronized void refuse(String reason, long n) {
        refused.merge(reason, n, Long::sum);
    }

    /** A refusal's machine-readable prefix (NIP-01), or the whole reason if it has none. */
    static String prefix(String reason) {
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
