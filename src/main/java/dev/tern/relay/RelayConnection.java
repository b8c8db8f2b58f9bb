package dev.tern.relay;

import dev.tern.acl.Decision;
import dev.tern.event.ByteKey;
import dev.tern.event.Event;
import dev.tern.event.EventParser;
import dev.tern.event.Hex;
import dev.tern.event.Schnorr;
import dev.tern.filter.Filter;
import dev.tern.metrics.Metrics;
import dev.tern.store.RefusedWrite;
import dev.tern.store.Visibility;
import dev.tern.store.WriteOutcome;
import dev.tern.sync.NegentropyException;
import dev.tern.sync.ServerSession;
import dev.tern.sync.SyncSettings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket client speaking NIP-01 (with NIP-42 AUTH, NIP-45 COUNT, NIP-70 protected events).
 * All state is confined to the channel's event loop; the writer and the query threads come back to it
 * through {@code eventLoop().execute}.
 */
final class RelayConnection extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final Logger log = LoggerFactory.getLogger(RelayConnection.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String SLOW_CONSUMER = "error: slow consumer: the client is not reading its messages fast enough";

    private final RelayServer relay;
    private final RelayLimits limits;
    private final Admission admission;
    private final Map<String, Subscription> subs = new HashMap<>();
    private final Map<String, NegSubscription> negs = new HashMap<>();
    private final List<ReplayTask> parked = new ArrayList<>();
    private final String challenge;
    private ChannelHandlerContext ctx;
    /** What admission knows of this client: address, authenticated pubkeys, EVENT rate. */
    private Admission.Peer peer;
    private SubscriptionIndex index;
    private int eventsInFlight;
    private ScheduledFuture<?> slowDeadline;
    private boolean countedSlow; // holds a place in relay.slowClients()
    /** An EVENT's OK was written and {@link #flushOks} is due after the loop's current pass over its tasks. */
    private boolean oksUnflushed;
    private final Runnable flushOks = () -> {
        oksUnflushed = false;
        ctx.flush();
    };

    RelayConnection(RelayServer relay, RelayLimits limits, Admission admission) {
        this.relay = relay;
        this.limits = limits;
        this.admission = admission;
        byte[] c = new byte[16];
        RANDOM.nextBytes(c);
        this.challenge = Hex.encode(c);
    }

    io.netty.channel.EventLoop eventLoop() {
        return ctx.channel().eventLoop();
    }

    /** When the WebSocket handshake completed; 0 before (the connection is then not counted). */
    private long openedNanos;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.peer = admission.peer(ctx.channel().remoteAddress() instanceof InetSocketAddress remote ? remote.getAddress() : null);
        this.index = relay.indexFor(ctx.channel().eventLoop());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            relay.connections().add(ctx.channel());
            openedNanos = System.nanoTime();
            Metrics.get().connectionOpened();
            relay.connectionLog().opened(ctx.channel().remoteAddress());
            send(Wire.auth(challenge)); // NIP-42: the challenge is offered on connect
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (!(frame instanceof TextWebSocketFrame)) {
            send(Wire.notice("invalid: only text frames carry Nostr messages"));
            return;
        }
        ByteBuf content = frame.content();
        byte[] msg = ByteBufUtil.getBytes(content);
        if (msg.length > limits.maxMessageBytes()) {
            String why = "invalid: message of " + msg.length + " bytes is over the limit of " + limits.maxMessageBytes() + " bytes";
            byte[] id = ClientMessageParser.oversizedEventId(msg); // an EVENT still gets its OK
            String negId = id == null ? ClientMessageParser.oversizedNegSubId(msg) : null; // a sync session its NEG-ERR
            if (negId != null) {
                NegSubscription neg = negs.remove(negId);
                if (neg != null) endNeg(neg);
            }
            send(id != null ? Wire.ok(id, false, why) : negId != null ? Wire.negErr(negId, why) : Wire.notice(why));
            return;
        }
        if (!EventParser.isValidUtf8(msg, 0, msg.length)) { // RFC 6455 8.1: a text message that is not UTF-8 fails the connection
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.INVALID_PAYLOAD_DATA, "text is not valid UTF-8"))
                    .addListener(f -> ctx.close());
            return;
        }
        switch (relay.parser().parse(msg)) {
            case ClientMessage.Publish p -> {
                Metrics.get().eventsReceived(1);
                publish(p.event());
            }
            case ClientMessage.PublishRejected r -> {
                Metrics.get().eventsReceived(1);
                rejected(r.id(), r.message());
                if (r.id() != null) answer(Wire.ok(r.id(), false, r.message()));
                else send(Wire.notice(r.message()));
            }
            case ClientMessage.Req r -> openSubscription(r.subId(), r.filters());
            case ClientMessage.Count c -> count(c.subId(), c.filters());
            case ClientMessage.SubscriptionRejected r -> send(Wire.closed(r.subId(), r.message()));
            case ClientMessage.Close c -> {
                Subscription s = subs.remove(c.subId());
                if (s != null) cancel(s);
            }
            case ClientMessage.NegOpen o -> negOpen(o.subId(), o.filter(), o.message());
            case ClientMessage.NegMsg m -> negMsg(m.subId(), m.message());
            case ClientMessage.NegClose c -> {
                NegSubscription neg = negs.remove(c.subId());
                if (neg != null) endNeg(neg);
            }
            case ClientMessage.NegRejected r -> {
                NegSubscription neg = negs.remove(r.subId());
                if (neg != null) endNeg(neg);
                send(Wire.negErr(r.subId(), r.reason()));
            }
            case ClientMessage.Auth a -> authenticate(a.event());
            case ClientMessage.Malformed m -> send(Wire.notice(m.notice()));
        }
    }

    // ---- EVENT ----

    private void publish(Event e) {
        long now = System.currentTimeMillis() / 1000;
        String refusal = admission.publish(e, peer, now) instanceof Decision.Deny d ? d.message() : null;
        if (refusal == null && relay.store().isDuplicatePerMemory(e, now)) {
            // The same content is stored (the id is its hash, checked at parse): answered as the writer would,
            // without a signature check, the largest cost of an event. Clients often send an event again.
            rejected(e.id(), "duplicate");
            answer(okFor(e.id(), WriteOutcome.DUPLICATE));
            return;
        }
        if (refusal == null && !Schnorr.verify(e.sig(), e.id(), e.pubkey())) refusal = "invalid: signature verification failed";
        if (refusal != null) {
            rejected(e.id(), refusal);
            answer(Wire.ok(e.id(), false, refusal));
            return;
        }
        eventsInFlight++;
        boolean queued = relay.writes().offer(List.of(e), (outcomes, failure) ->
                ctx.channel().eventLoop().execute(() -> written(e, failure == null ? outcomes.get(0) : null, failure)));
        if (!queued) {
            eventsInFlight--;
            answer(Wire.ok(e.id(), false, "error: the relay is busy writing; try again shortly"));
        } else if (eventsInFlight >= limits.maxEventsInFlight()) {
            ctx.channel().config().setAutoRead(false); // backpressure: read more once the writer answers
        }
    }

    private void rejected(byte[] id, String why) {
        Metrics.get().eventRejected(why);
        if (log.isDebugEnabled()) log.debug("rejected {} from {}: {}", id == null ? "-" : Hex.encode(id), ctx.channel().remoteAddress(), why);
    }

    /** The writer's answer for {@code e}; a null outcome means the write failed (a {@link RefusedWrite} says why). */
    private void written(Event e, WriteOutcome outcome, Exception failure) {
        eventsInFlight--;
        if (!ctx.channel().config().isAutoRead() && eventsInFlight < limits.maxEventsInFlight()) {
            ctx.channel().config().setAutoRead(true);
        }
        if (outcome != null) answer(okFor(e.id(), outcome));
        else answer(Wire.ok(e.id(), false, failure instanceof RefusedWrite r ? r.getMessage() : "error: the event could not be stored"));
    }

    /** The NIP-01 OK for each store outcome. */
    static TextWebSocketFrame okFor(byte[] id, WriteOutcome outcome) {
        return switch (outcome) {
            case STORED, REPLACED_OLDER, EPHEMERAL_NOT_STORED -> Wire.ok(id, true, "");
            case DUPLICATE -> Wire.ok(id, true, "duplicate: already have this event");
            // A newer version of the address is stored: the client's goal (the relay holds this address at least
            // this new) is met, and a false OK would make clients retry an event that can never be stored.
            case SUPERSEDED -> Wire.ok(id, true, "duplicate: a newer version of this replaceable event is already stored");
            case DELETED_BEFORE -> Wire.ok(id, false, "blocked: this event was deleted by its author (NIP-09)");
            case VANISHED -> Wire.ok(id, false, "blocked: its author asked this relay to vanish (NIP-62)");
            case EXPIRED -> Wire.ok(id, false, "invalid: event has expired");
        };
    }

    // ---- AUTH ----

    private void authenticate(Event e) {
        String problem = relay.authVerifier().check(e, challenge, System.currentTimeMillis() / 1000);
        if (problem == null) peer.authenticated.add(ByteKey.of(e.pubkey()));
        send(Wire.ok(e.id(), problem == null, problem == null ? "" : problem));
    }

    // ---- REQ / CLOSE ----

    private void openSubscription(String subId, List<Filter> filters) {
        Subscription old = subs.remove(subId); // NIP-01: a REQ with an open id replaces that subscription
        if (old != null) cancel(old);
        Admission.Read.Serve read = readOrClose(subId, filters);
        if (read == null) return;
        if (subs.size() >= limits.maxSubscriptions()) {
            send(Wire.closed(subId, "error: too many open subscriptions (max " + limits.maxSubscriptions() + "); CLOSE one first"));
            return;
        }
        Subscription sub = new Subscription(this, subId, read.filters(), read.visibility(),
                relay.search() == null ? null : relay.search()::matcher);
        subs.put(subId, sub);
        Metrics.get().subscriptionOpened();
        index.add(sub); // live events from now on wait in the subscription until EOSE
        List<Filter> query = new ArrayList<>(sub.filters.size());
        for (Filter f : sub.filters) {
            Filter clamped = f.withLimit(limits.effectiveLimit(f.limit()));
            if (clamped.limit() > 0 && !clamped.isEmpty()) query.add(clamped);
        }
        if (query.isEmpty()) {
            endOfStored(sub);
            return;
        }
        submitReplay(new ReplayTask(relay, sub, query));
    }

    /** The read admission allows this connection for {@code filters}, or null after a CLOSED refusing it. */
    private Admission.Read.Serve readOrClose(String subId, List<Filter> filters) {
        return switch (admission.read(filters, peer)) {
            case Admission.Read.Serve s -> s;
            case Admission.Read.Refuse r -> {
                send(Wire.closed(subId, r.refusal().message()));
                yield null;
            }
        };
    }

    private void submitReplay(ReplayTask task) {
        try {
            relay.queryPool().execute(task);
        } catch (RejectedExecutionException full) {
            task.close();
            closeSubscription(task.sub, "error: the relay is busy; try again shortly");
        }
    }

    /**
     * A slice of stored events from a query thread, read at write sequence {@code storedUpTo}; more is
     * asked for only while the client keeps up. {@code truncated}: the store's scan budget ended the
     * query early (with {@code done}).
     */
    void replaySlice(ReplayTask task, List<byte[]> slice, long storedUpTo, boolean done, boolean truncated, String error) {
        Subscription sub = task.sub;
        if (sub.cancelled) {
            task.close();
            return;
        }
        sub.storedUpTo = storedUpTo;
        // the next slice is read while this one is written, when the buffer has room for this one with the
        // client still counted as keeping up (the bound of the check after the write, below)
        boolean readingAhead = !done && error == null && ctx.channel().bytesBeforeUnwritable() > bytesOf(slice);
        if (readingAhead) {
            submitReplay(task);
            if (sub.cancelled) return; // the pool was full: the subscription is closed
        }
        // a compressed message is flushed at once, so the client inflates it while the next one is compressed
        MessageDeflater deflater = ctx.pipeline().get(MessageDeflater.class);
        for (byte[] json : slice) {
            TextWebSocketFrame frame = Wire.event(ctx.alloc(), sub.eventPrefix, json);
            boolean compressed = deflater != null && deflater.compresses(frame.content().readableBytes());
            ctx.write(frame);
            if (compressed) ctx.flush();
        }
        Metrics.get().eventsSent(slice.size());
        if (error != null) {
            closeSubscription(sub, error);
        } else if (done) {
            endOfStored(sub);
            if (truncated) cutShort(sub, task.filters());
        } else {
            ctx.flush();
            if (readingAhead) return;
            if (ctx.channel().isWritable()) submitReplay(task);
            else parked.add(task);
        }
    }

    private static long bytesOf(List<byte[]> slice) {
        long bytes = 0;
        for (byte[] json : slice) bytes += json.length;
        return bytes;
    }

    /**
     * The stored events of {@code sub} were cut short by the scan budget: the client hears it after EOSE, in a
     * NOTICE naming the subscription (NIP-01), which stays open for new events.
     */
    private void cutShort(Subscription sub, List<Filter> filters) {
        relay.truncatedReplays().record(sub.id, ctx.channel().remoteAddress(), filters);
        send(Wire.notice(truncatedNotice(sub.id)));
    }

    static String truncatedNotice(String subId) {
        return "error: REQ " + subId + ": the stored events sent before EOSE are incomplete, the query reached the relay's "
                + "scan budget; narrow the filters (authors, kinds, since/until) to get the rest";
    }

    private void endOfStored(Subscription sub) {
        ctx.write(Wire.eose(sub.id));
        Metrics.get().observeReqNanos(System.nanoTime() - sub.openedNanos);
        sub.replaying = false;
        List<Event> held = sub.drainPending();
        for (Event e : held) ctx.write(Wire.event(ctx.alloc(), sub.eventPrefix, e.json()));
        Metrics.get().eventsSent(held.size());
        ctx.flush();
    }

    /**
     * A committed event matched {@code sub} (called by the fan-out on this event loop). Returns true if it
     * was written without a flush: the fan-out flushes each connection once per event, not once per match.
     */
    boolean deliverLive(Subscription sub, Event e, long sequence) {
        if (sub.cancelled || !sub.visibility.visible(e)) return false;
        if (sub.replaying) {
            if (!sub.hold(e, sequence, limits.outboundBufferBytes())) {
                closeSubscription(sub, "error: slow consumer: too many new events while stored events were being sent");
            }
            return false;
        }
        if (sub.sentAsStored(e, sequence)) return false; // the query ran between its commit and this fan-out
        if (!ctx.channel().isWritable()) {
            dropSlowConsumer();
            return false;
        }
        ctx.write(Wire.event(ctx.alloc(), sub.eventPrefix, e.json()), ctx.voidPromise());
        Metrics.get().eventsSent(1);
        return true;
    }

    void flush() {
        ctx.flush();
    }

    // ---- COUNT (NIP-45) ----

    private void count(String subId, List<Filter> filters) {
        Admission.Read.Serve read = readOrClose(subId, filters);
        if (read == null) return;
        Hll hll = Hll.forFilters(filters); // NIP-45: its offset comes from the filter the client sent
        try {
            relay.queryPool().execute(() -> {
                TextWebSocketFrame answer;
                try {
                    answer = Wire.count(subId, count(read.filters(), read.visibility(), hll), hll == null ? null : hll.hex());
                } catch (RuntimeException ex) {
                    log.warn("COUNT failed", ex);
                    answer = Wire.closed(subId, "error: count failed");
                }
                TextWebSocketFrame reply = answer;
                ctx.channel().eventLoop().execute(() -> send(reply));
            });
        } catch (RejectedExecutionException full) {
            send(Wire.closed(subId, "error: the relay is busy; try again shortly"));
        }
    }

    // ---- NEG-OPEN / NEG-MSG (NIP-77) ----

    /** Opens a session on the events a REQ with {@code filter} would read (its limit aside) and answers its first message. */
    private void negOpen(String subId, Filter filter, byte[] message) {
        NegSubscription old = negs.remove(subId); // NIP-77: a NEG-OPEN with an open id closes that session first
        if (old != null) endNeg(old);
        SyncSettings sync = relay.config().sync();
        Admission.Read read = admission.read(List.of(filter), peer); // the same read rules as a REQ's
        String refusal = null;
        if (!sync.enabled()) {
            refusal = "blocked: negentropy sync (NIP-77) is turned off on this relay";
        } else if (filter.search() != null) {
            refusal = "invalid: a negentropy filter cannot hold a NIP-50 search";
        } else if (read instanceof Admission.Read.Refuse r) {
            refusal = r.refusal().message();
        } else if (negs.size() >= sync.perConnection()) {
            refusal = "blocked: too many negentropy sessions on this connection (max " + sync.perConnection() + "); NEG-CLOSE one first";
        } else if (!relay.tryAcquireSyncSession()) {
            refusal = "blocked: too many negentropy sessions on this relay (max " + sync.total() + "); try again later";
        }
        if (refusal != null) {
            send(Wire.negErr(subId, refusal));
            return;
        }
        NegSubscription neg;
        try {
            // a REQ's read: the filter as admission narrows it, its events as the connection's keys may see them
            Admission.Read.Serve serve = (Admission.Read.Serve) read;
            neg = new NegSubscription(subId, new ServerSession(relay.store(), serve.filters().get(0), serve.visibility(), sync));
        } catch (RuntimeException e) {
            relay.releaseSyncSession();
            log.warn("could not open a negentropy session", e);
            send(Wire.negErr(subId, "error: could not read the store"));
            return;
        }
        negs.put(subId, neg);
        answerNeg(neg, message);
    }

    private void negMsg(String subId, byte[] message) {
        NegSubscription neg = negs.get(subId);
        if (neg == null) {
            send(Wire.negErr(subId, "closed: no open negentropy session with this id"));
        } else if (neg.busy) {
            failNeg(neg, "invalid: NEG-MSG sent before the answer to the previous one");
        } else {
            answerNeg(neg, message);
        }
    }

    /** Answers on a query thread: a message may scan every event the filter matches. */
    private void answerNeg(NegSubscription neg, byte[] message) {
        neg.busy = true;
        neg.cancelIdle();
        try {
            relay.queryPool().execute(() -> {
                byte[] answer = null;
                String error = null;
                try {
                    answer = neg.session.answer(message);
                } catch (NegentropyException e) {
                    error = e.getMessage();
                } catch (RuntimeException e) {
                    log.warn("negentropy session failed", e);
                    error = "error: the sync query failed";
                }
                byte[] reply = answer;
                String failure = error;
                try {
                    eventLoop().execute(() -> answered(neg, reply, failure));
                } catch (RejectedExecutionException shuttingDown) {
                    release(neg);
                }
            });
        } catch (RejectedExecutionException full) {
            neg.busy = false;
            failNeg(neg, "error: the relay is busy; try again shortly");
        }
    }

    private void answered(NegSubscription neg, byte[] answer, String error) {
        neg.busy = false;
        if (neg.closed) {
            release(neg);
        } else if (error != null) {
            failNeg(neg, error);
        } else {
            send(Wire.negMsg(neg.id, answer));
            long idle = relay.config().sync().idleMillis();
            neg.idle = ctx.executor().schedule(() -> {
                if (negs.get(neg.id) == neg && !neg.busy) failNeg(neg, "closed: no NEG-MSG for " + idle / 1000 + " s");
            }, idle, TimeUnit.MILLISECONDS);
        }
    }

    /** Ends a session with NEG-ERR and {@code reason}. */
    private void failNeg(NegSubscription neg, String reason) {
        if (negs.get(neg.id) == neg) negs.remove(neg.id);
        endNeg(neg);
        send(Wire.negErr(neg.id, reason));
    }

    private void endNeg(NegSubscription neg) {
        neg.closed = true;
        neg.cancelIdle();
        if (!neg.busy) release(neg);
    }

    private void release(NegSubscription neg) {
        if (neg.released) return;
        neg.released = true;
        neg.session.close();
        relay.releaseSyncSession();
    }

    /**
     * The distinct events the filters count for a reader with {@code visibility} (NIP-45), each counted one fed to
     * {@code hll} (null: none). A search filter counts its checked hits (at most the limit cap); a hit a plain filter
     * also matches is left to the store's count, so no event counts twice.
     */
    private long count(List<Filter> filters, Visibility visibility, Hll hll) {
        List<Filter> plain = filters.stream().filter(f -> f.search() == null).toList();
        Set<ByteKey> found = new HashSet<>();
        for (Filter f : filters) {
            if (f.search() == null) continue;
            for (byte[] json : relay.search().search(f, visibility, limits.maxLimit(), ReplayTask.SEARCH_BUDGET_MILLIS).events()) {
                Event e = EventParser.parseStored(json);
                if (plain.stream().anyMatch(p -> p.matches(e))) continue;
                if (found.add(ByteKey.of(e.id())) && hll != null) hll.add(e.pubkey());
            }
        }
        long stored = plain.isEmpty() ? 0 : relay.store().count(plain, visibility, hll == null ? null : hll::add);
        return stored + found.size();
    }

    // ---- subscriptions ending ----

    void closeSubscription(Subscription sub, String reason) {
        if (subs.get(sub.id) == sub) subs.remove(sub.id);
        cancel(sub);
        send(Wire.closed(sub.id, reason));
    }

    private void cancel(Subscription sub) {
        if (!sub.cancelled) Metrics.get().subscriptionsClosed(1);
        sub.cancelled = true;
        index.remove(sub);
        for (Iterator<ReplayTask> it = parked.iterator(); it.hasNext(); ) {
            ReplayTask t = it.next();
            if (t.sub == sub) {
                it.remove();
                t.close();
            }
        }
    }

    /** The client stopped reading: its subscriptions end now, and it is disconnected if it stays behind. */
    private void dropSlowConsumer() {
        closeSubscriptions(SLOW_CONSUMER);
        armSlowDeadline();
    }

    /** Ends every subscription of this connection with CLOSED and {@code reason}. */
    private void closeSubscriptions(String reason) {
        for (Subscription s : List.copyOf(subs.values())) closeSubscription(s, reason);
    }

    private void armSlowDeadline() {
        if (slowDeadline != null) return;
        slowDeadline = ctx.executor().schedule(() -> {
            slowDeadline = null;
            if (!ctx.channel().isWritable()) {
                log.info("disconnecting {}: it read nothing for {} ms", ctx.channel().remoteAddress(), limits.slowConsumerGraceMillis());
                ctx.close();
            }
        }, limits.slowConsumerGraceMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable()) {
            if (slowDeadline != null) {
                slowDeadline.cancel(false);
                slowDeadline = null;
            }
            leaveSlowClients();
            List<ReplayTask> resume = List.copyOf(parked);
            parked.clear();
            for (ReplayTask t : resume) submitReplay(t);
        } else if (countedSlow || relay.slowClients().enter()) {
            countedSlow = true;
            armSlowDeadline();
        } else {
            log.info("disconnecting {}: it fell behind while {} other clients already are", ctx.channel().remoteAddress(),
                    relay.slowClients().max());
            closeSubscriptions(SLOW_CONSUMER);
            ctx.close();
        }
        super.channelWritabilityChanged(ctx);
    }

    private void leaveSlowClients() {
        if (countedSlow) relay.slowClients().leave();
        countedSlow = false;
    }

    /** Writes and flushes one message; a client whose unread backlog is half again past the buffer cap is disconnected. */
    private void send(TextWebSocketFrame frame) {
        if (writable(frame)) ctx.writeAndFlush(frame, ctx.voidPromise());
    }

    /**
     * Writes an EVENT's OK and leaves its flush to the end of the loop's current pass over its tasks (and after its
     * reads): the OKs of a commit come back as a task each, and those of one pass reach the client in one send.
     * Everything else, a REQ's events above all, is flushed as before.
     */
    private void answer(TextWebSocketFrame ok) {
        if (!writable(ok)) return;
        ctx.write(ok, ctx.voidPromise());
        if (!oksUnflushed) {
            oksUnflushed = true;
            ((SingleThreadEventLoop) eventLoop()).executeAfterEventLoopIteration(flushOks);
        }
    }

    /** False (the frame released) if the client is gone, or disconnected now: its unread backlog is half again past the buffer cap. */
    private boolean writable(TextWebSocketFrame frame) {
        if (!ctx.channel().isActive()) { // gone already: nothing to send, and its backlog reads as Long.MAX_VALUE
            frame.release();
            return false;
        }
        if (ctx.channel().bytesBeforeWritable() > limits.outboundBufferBytes()) {
            frame.release();
            log.info("disconnecting {}: {} bytes unread", ctx.channel().remoteAddress(), ctx.channel().bytesBeforeWritable());
            ctx.close();
            return false;
        }
        return true;
    }

    /** Graceful shutdown (runs on this event loop): every subscription gets CLOSED, then a WebSocket close. */
    void shutdown() {
        closeSubscriptions("error: the relay is shutting down");
        ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE))
                .addListener(f -> ctx.close());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        for (Subscription s : subs.values()) cancel(s);
        subs.clear();
        for (NegSubscription n : negs.values()) endNeg(n);
        negs.clear();
        if (slowDeadline != null) slowDeadline.cancel(false);
        leaveSlowClients();
        if (openedNanos != 0) {
            Metrics.get().connectionClosed();
            relay.connectionLog().closed(ctx.channel().remoteAddress(), (System.nanoTime() - openedNanos) / 1_000_000_000);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("closing {}: {}", ctx.channel().remoteAddress(), cause.toString());
        WebSocketCloseStatus status = closeStatusFor(cause);
        if (status == null || !ctx.channel().isActive()) {
            ctx.close();
            return;
        }
        // the client hears why before the close, which carries the RFC 6455 status (1009: message too big)
        String why = status.code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code()
                ? "invalid: message over " + limits.frameCapBytes() + " bytes; this relay acts on messages up to "
                        + limits.maxMessageBytes() + " bytes"
                : "invalid: " + status.reasonText();
        ctx.write(Wire.notice(why));
        // not closed at once: the refused frame's rest is still arriving (the decoder now drops it), and closing
        // on unread data resets the connection, losing the NOTICE and the close; the client closes on reading it,
        // or the protocol handler does after its force-close timeout
        ctx.writeAndFlush(new CloseWebSocketFrame(status, status.reasonText()));
    }

    /**
     * The close status for a frame the WebSocket layer refused: its own (a single frame over the cap, a protocol
     * error), 1009 for a message whose fragments or inflated size pass the cap; null for anything else.
     */
    private static WebSocketCloseStatus closeStatusFor(Throwable cause) {
        return switch (cause) {
            case CorruptedWebSocketFrameException c -> c.closeStatus();
            case TooLongFrameException t -> WebSocketCloseStatus.MESSAGE_TOO_BIG;
            case DecoderException d when d.getCause() instanceof TooLongFrameException
                    || d instanceof io.netty.handler.codec.compression.DecompressionException -> WebSocketCloseStatus.MESSAGE_TOO_BIG;
            default -> null;
        };
    }
}
