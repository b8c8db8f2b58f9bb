package dev.tern.sync.mirror;

import dev.tern.event.ByteKey;
import dev.tern.event.Event;
import dev.tern.event.Hex;
import dev.tern.event.KeyPair;
import dev.tern.event.Signer;
import dev.tern.store.EventStore;
import dev.tern.sync.Incoming;
import dev.tern.sync.RelayLink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live link to one peer between reconciliations (strfry's router {@code stream}): a REQ from the newest event
 * the peer sent (down), and new local events sent as EVENTs honouring their OK (up). Its thread connects,
 * reads, and reconnects with backoff; for up a second thread sends, at most {@link #IN_FLIGHT} events awaiting
 * their OK. New local events wait as ids in a bounded queue; when it is full they are left to the next
 * reconciliation, which is asked for at once.
 */
final class PeerStream {
    private static final Logger log = LoggerFactory.getLogger("mirror");
    static final String SUB = "tern-mirror";
    static final int IN_FLIGHT = 50;
    /** The longest pause a peer's {@code rate-limited:} answers cause. */
    private static final long MAX_PAUSE_MILLIS = 60_000;
    /** How often the reader looks up from an idle link to see whether the session ended. */
    private static final Duration POLL = Duration.ofSeconds(1);

    private final PeerState state;
    private final MirrorPeer peer;
    private final LiveIngest ingest;
    private final EventStore store;
    private final KeyPair authKey;
    private final Duration timeout;
    private final Runnable reconcile;
    private final LinkedBlockingDeque<byte[]> outbox;
    /** Ids the peer sent that wait for the writer: their commit must not be sent back to it. */
    private final Set<ByteKey> arriving = ConcurrentHashMap.newKeySet();
    private final Backoff backoff;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread thread;
    private volatile Session session;

    /**
     * @param queue     new local events that may wait for the peer (ids)
     * @param reconcile asks for a reconciliation with this peer soon (what the live link missed)
     */
    PeerStream(PeerState state, LiveIngest ingest, EventStore store, KeyPair authKey, Duration timeout, int queue,
               Backoff backoff, Runnable reconcile) {
        this.state = state;
        this.peer = state.peer;
        this.ingest = ingest;
        this.store = store;
        this.authKey = authKey;
        this.timeout = timeout;
        this.outbox = new LinkedBlockingDeque<>(queue);
        this.backoff = backoff;
        this.reconcile = reconcile;
        this.thread = Thread.ofPlatform().daemon().name("mirror-" + peer.url().getHost()).unstarted(this::run);
    }

    PeerState state() {
        return state;
    }

    int queued() {
        return outbox.size();
    }

    void start() {
        thread.start();
    }

    void arriving(byte[] id) {
        arriving.add(ByteKey.of(id));
    }

    void arrived(byte[] id) {
        arriving.remove(ByteKey.of(id));
    }

    /** A new local event (the writer's commit listener: quick, never blocks). */
    void committed(Event e) {
        if (!peer.direction().up() || !peer.filter().matches(e) || arriving.contains(ByteKey.of(e.id()))) return;
        if (!outbox.offer(e.id())) overflow();
    }

    private void overflow() {
        state.dropped.incrementAndGet();
        reconcile.run();
    }

    /** Ends the link; {@link #awaitStopped} waits for its thread (a connection attempt may take the time-out). */
    void stop() {
        closed.countDown();
        Session s = session;
        if (s != null) s.end(null);
    }

    void awaitStopped() throws InterruptedException {
        thread.join(timeout.toMillis() + POLL.toMillis());
    }

    private void run() {
        while (closed.getCount() > 0) {
            try (RelayLink link = RelayLink.connect(peer.url(), timeout)) {
                Session s = new Session(link);
                session = s;
                state.connected = true;
                if (state.connects.incrementAndGet() > 1) reconcile.run(); // what the live link missed while it was down
                log.info("mirror: connected to {} ({})", peer.url(), peer.direction().name().toLowerCase(java.util.Locale.ROOT));
                s.run();
            } catch (IOException e) {
                if (closed.getCount() > 0) {
                    state.error(e.getMessage());
                    log.info("mirror: {}: {}", peer.url(), e.getMessage());
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                state.connected = false;
                session = null;
            }
            try {
                if (closed.await(backoff.next(), TimeUnit.MILLISECONDS)) return;
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One connection: the reader runs on the stream's thread, the sender (up) on its own. */
    private final class Session {
        private final RelayLink link;
        private final Map<ByteKey, byte[]> inFlight = new ConcurrentHashMap<>();
        private final Semaphore permits = new Semaphore(IN_FLIGHT);
        private final CountDownLatch ended = new CountDownLatch(1);
        private volatile String failure;
        private volatile long pausedUntilNanos;
        private int rateLimited;
        private String challenge;
        private String authId;
        private boolean authSent;

        Session(RelayLink link) {
            this.link = link;
        }

        void run() throws IOException, InterruptedException {
            Thread sender = null;
            try {
                if (peer.direction().down()) subscribe();
                if (peer.direction().up()) sender = Thread.ofPlatform().daemon().name(thread.getName() + "-up").start(this::sendLoop);
                while (ended.getCount() > 0) {
                    String raw = link.next(POLL);
                    if (raw != null) handle(Incoming.parse(raw));
                }
                if (failure != null) throw new IOException(failure);
            } finally {
                end(null);
                if (sender != null) sender.join(timeout.toMillis());
                for (byte[] id : inFlight.values()) { // unanswered: sent again on the next connection
                    if (!outbox.offerFirst(id)) overflow();
                }
            }
        }

        /** Ends the session; {@code why} (null: closing) is reported as its error. */
        void end(String why) {
            if (why != null && failure == null) failure = why;
            ended.countDown();
        }

        private void subscribe() throws IOException {
            send("[\"REQ\",\"" + SUB + "\"," + peer.liveFilterJson(state.since(System.currentTimeMillis() / 1000)) + "]");
        }

        private void handle(Incoming m) throws IOException, InterruptedException {
            switch (m.type()) {
                case "EVENT" -> {
                    if (m.string(0).equals(SUB) && m.object() != null) ingest.take(m.object(), PeerStream.this);
                }
                case "EOSE" -> backoff.reset(); // the subscription works: a later drop is a new failure
                case "CLOSED" -> {
                    if (!m.string(0).equals(SUB)) return;
                    String reason = m.string(1);
                    if (reason.startsWith("auth-required:") && mayAuthenticate()) {
                        authenticate();
                        subscribe();
                    } else {
                        end("the peer closed the live subscription: " + reason);
                    }
                }
                case "OK" -> answered(m.string(0), Boolean.TRUE.equals(m.flag()), m.string(1));
                case "AUTH" -> challenge = m.string(0);
                case "NOTICE" -> log.info("mirror: {} says: {}", peer.url(), m.string(0));
                default -> { }
            }
        }

        private boolean mayAuthenticate() {
            return authKey != null && !authSent;
        }

        /** NIP-42: the configured sync key signs the peer's challenge; what follows is sent after it, in order. */
        private void authenticate() throws IOException {
            if (challenge == null) throw new IOException("the peer asks for AUTH but sent no challenge");
            Event auth = Signer.sign(authKey, System.currentTimeMillis() / 1000, 22242,
                    List.of(List.of("relay", peer.url().toString()), List.of("challenge", challenge)), "");
            authSent = true;
            authId = auth.idHex();
            send("[\"AUTH\"," + new String(auth.json(), StandardCharsets.UTF_8) + "]");
        }

        private void answered(String idHex, boolean ok, String reason) throws IOException {
            if (idHex.equals(authId)) {
                if (!ok) end("the peer refused our AUTH: " + reason);
                else log.info("mirror: authenticated to {} as {}", peer.url(), authKey.publicKeyHex());
                return;
            }
            if (idHex.length() != 64) return;
            byte[] id = inFlight.remove(ByteKey.of(Hex.decode(idHex)));
            if (id == null) return;
            permits.release();
            if (ok) {
                rateLimited = 0;
                (reason.startsWith("duplicate:") ? state.duplicatesOut : state.eventsOut).incrementAndGet();
            } else if (reason.startsWith("rate-limited:")) {
                pausedUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.min(MAX_PAUSE_MILLIS, 1000L << Math.min(rateLimited++, 16)));
                if (!outbox.offerFirst(id)) overflow();
            } else if (reason.startsWith("auth-required:") && mayAuthenticate()) {
                authenticate();
                if (!outbox.offerFirst(id)) overflow();
            } else {
                state.refusedOut.incrementAndGet();
                log.debug("mirror: {} refused {}: {}", peer.url(), idHex, reason);
            }
        }

        /** Sends new local events while the session lasts; a peer that leaves them all unanswered ends it. */
        private void sendLoop() {
            try {
                while (ended.getCount() > 0) {
                    if (!permits.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                        end("no OK from the peer within " + timeout.toSeconds() + " s for " + inFlight.size() + " events");
                        return;
                    }
                    long pause = pausedUntilNanos - System.nanoTime();
                    if (pause > 0 && ended.await(pause, TimeUnit.NANOSECONDS)) return;
                    byte[] id = outbox.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
                    Optional<byte[]> json = id == null ? Optional.empty() : store.get(id); // gone since: deleted or expired
                    if (json.isEmpty()) {
                        permits.release();
                        continue;
                    }
                    inFlight.put(ByteKey.of(id), id);
                    send("[\"EVENT\"," + new String(json.get(), StandardCharsets.UTF_8) + "]");
                }
            } catch (IOException e) {
                end(e.getMessage());
            } catch (InterruptedException e) {
                end(null);
            }
        }

        private synchronized void send(String text) throws IOException {
            link.send(text);
        }
    }
}
