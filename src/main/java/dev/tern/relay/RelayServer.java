package dev.tern.relay;

import dev.tern.acl.Acl;
import dev.tern.filter.FilterLimits;
import dev.tern.filter.FilterParser;
import dev.tern.metrics.Metrics;
import dev.tern.http.HealthRoute;
import dev.tern.http.HttpRouter;
import dev.tern.http.RequestDeadlines;
import dev.tern.http.StreamingDispatcher;
import dev.tern.http.WebAssets;
import dev.tern.search.SearchIndex;
import dev.tern.store.EventStore;
import dev.tern.store.EventWrites;
import dev.tern.store.StoreWriter;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay: one Netty port (native epoll where available) serving NIP-01 WebSocket clients, NIP-11 and
 * the HTTP routes. Writes go through the shared {@link StoreWriter}; its commits drive live fan-out.
 * Queries run on a small bounded pool so the event loops never wait on the disk.
 */
public final class RelayServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RelayServer.class);
    /** HTTP requests other than upgrades are small; later upload routes stream instead of aggregating. */
    private static final int MAX_HTTP_REQUEST_BYTES = 64 * 1024;

    private final RelayConfig config;
    private final EventStore store;
    private final StoreWriter writer;
    /** Where EVENTs go: the writer, or the cluster log that every node's writer applies. */
    private final EventWrites writes;
    private final HealthRoute health;
    private final TruncatedReplays truncatedReplays;
    private final Acl acl;
    /** NIP-50 search, or null when TERN_SEARCH is off. */
    private final SearchIndex search;
    private final ClientMessageParser parser;
    private final AuthVerifier authVerifier;
    private final Admission admission;
    private final HttpRouter router;
    private final byte[] nip11;
    private final EventLoopGroup group;
    private final ChannelGroup connections = new DefaultChannelGroup("relay-connections", GlobalEventExecutor.INSTANCE);
    private final ConnectionLog connectionLog = new ConnectionLog(connections::size);
    private final ThreadPoolExecutor queryPool;
    private final FanOut fanOut;
    private final StoreWriter.CommitListener listener;
    private final Channel serverChannel;
    private final SlowClients slowClients;
    /** NIP-77 sessions open on every connection together, against {@code config.sync().total()}. */
    private final AtomicInteger syncSessions = new AtomicInteger();
    private volatile boolean open = true;

    private RelayServer(RelayConfig config, EventStore store, StoreWriter writer, EventWrites writes, Acl acl, SearchIndex search,
                        Consumer<HttpRouter> routes) throws InterruptedException {
        this.config = config;
        this.store = store;
        this.writer = writer;
        this.writes = writes;
        this.truncatedReplays = new TruncatedReplays();
        this.acl = acl;
        this.search = search;
        RelayLimits limits = config.limits();
        this.parser = new ClientMessageParser(new FilterParser(new FilterLimits(limits.maxFilterValues()), search != null),
                limits.maxFilters());
        this.authVerifier = new AuthVerifier(config.info().host());
        this.admission = new Admission(limits, config.authMode(), acl.policy(), acl.rateLimiter(), acl.privacy(),
                config.info().host(), acl.proofOfWork());
        this.slowClients = new SlowClients(config.maxSlowClients());
        Metrics.get().gauge("tern_sync_sessions", "Open NIP-77 negentropy sessions", syncSessions::get);
        this.nip11 = Nip11Document.render(config, acl, search != null);
        this.health = new HealthRoute(() -> open, store, writer);
        this.router = new HttpRouter().add(HttpMethod.GET, "/healthz", health);
        WebAssets.register(router); // the operator page at /
        routes.accept(router);

        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(config.effectiveIoThreads(), io);
        List<FanOut.Loop> loops = new ArrayList<>();
        for (EventExecutor e : group) loops.add(new FanOut.Loop((EventLoop) e));
        this.fanOut = new FanOut(loops);
        this.listener = (event, outcome, sequence) -> fanOut.publish(event, sequence);
        writer.addListener(listener);

        AtomicInteger threadNo = new AtomicInteger();
        this.queryPool = new ThreadPoolExecutor(config.queryThreads(), config.queryThreads(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.queryQueue()), r -> {
                    Thread t = new Thread(r, "relay-query-" + threadNo.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });

        int cap = limits.outboundBufferBytes();
        Class<? extends ServerChannel> channelClass = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(channelClass)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(cap / 2, cap))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("http", new HttpServerCodec())
                                .addLast(RequestDeadlines.NAME, new RequestDeadlines(config.httpTimeouts()))
                                .addLast("http-stream", new StreamingDispatcher(router))
                                .addLast("http-aggregate", new HttpObjectAggregator(MAX_HTTP_REQUEST_BYTES))
                                .addLast("entry", new HttpEntryHandler(RelayServer.this, admission));
                    }
                });
        try {
            this.serverChannel = b.bind(config.host(), config.port()).sync().channel();
        } catch (RuntimeException | InterruptedException e) {
            writer.removeListener(listener);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            queryPool.shutdownNow();
            throw e;
        }
        log.info("relay listening on {} ({} transport, {} event loops, at most {} slow clients at once)",
                serverChannel.localAddress(), epoll ? "epoll" : "nio", config.effectiveIoThreads(), slowClients.max());
    }

    /**
     * Starts the relay with access control {@code acl} (made by {@link Acl#attach} on the same store and
     * writer); {@code routes} may add HTTP routes (the API, metrics) before it listens.
     */
    public static RelayServer start(RelayConfig config, EventStore store, StoreWriter writer, Acl acl,
                                    Consumer<HttpRouter> routes) throws InterruptedException {
        return new RelayServer(config, store, writer, writer, acl, null, routes);
    }

    /** As above, answering NIP-50 {@code search} filters from {@code search} (null: search off). */
    public static RelayServer start(RelayConfig config, EventStore store, StoreWriter writer, Acl acl, SearchIndex search,
                                    Consumer<HttpRouter> routes) throws InterruptedException {
        return new RelayServer(config, store, writer, writer, acl, search, routes);
    }

    /**
     * As above, with EVENTs written through {@code writes} (the cluster log) while live fan-out follows
     * {@code writer}'s commits, which apply them.
     */
    public static RelayServer start(RelayConfig config, EventStore store, StoreWriter writer, EventWrites writes, Acl acl,
                                    SearchIndex search, Consumer<HttpRouter> routes) throws InterruptedException {
        return new RelayServer(config, store, writer, writes, acl, search, routes);
    }

    /** The relay's /healthz, to which capabilities add their checks. */
    public HealthRoute health() {
        return health;
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /**
     * Stops accepting, sends every subscription CLOSED and every client a WebSocket close, waits for the
     * queries to finish and the event loops to stop. The caller then closes the writer and the store.
     */
    @Override
    public void close() {
        if (!open) return;
        open = false;
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stop() throws InterruptedException {
        serverChannel.close().sync();
        writer.removeListener(listener);
        for (Channel ch : connections) {
            RelayConnection c = ch.pipeline().get(RelayConnection.class);
            if (c != null) ch.eventLoop().execute(c::shutdown);
        }
        connections.newCloseFuture().await(5, TimeUnit.SECONDS);
        queryPool.shutdown();
        if (!queryPool.awaitTermination(10, TimeUnit.SECONDS)) log.warn("queries still running at shutdown");
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
    }

    RelayConfig config() { return config; }

    EventStore store() { return store; }

    EventWrites writes() { return writes; }

    TruncatedReplays truncatedReplays() { return truncatedReplays; }

    ConnectionLog connectionLog() { return connectionLog; }

    ClientMessageParser parser() { return parser; }

    Acl acl() { return acl; }

    /** Null when search is off. */
    SearchIndex search() { return search; }

    AuthVerifier authVerifier() { return authVerifier; }

    SlowClients slowClients() { return slowClients; }

    /** Takes one of the relay's NIP-77 sessions; false when all are open. Give it back with {@link #releaseSyncSession}. */
    boolean tryAcquireSyncSession() {
        while (true) {
            int n = syncSessions.get();
            if (n >= config.sync().total()) return false;
            if (syncSessions.compareAndSet(n, n + 1)) return true;
        }
    }

    void releaseSyncSession() {
        syncSessions.decrementAndGet();
    }

    HttpRouter router() { return router; }

    /** In managed mode NIP-86 may rename the relay at any time, so the document is rendered per request (rare). */
    byte[] nip11Document() {
        return acl.managed() == null ? nip11 : Nip11Document.render(config, acl, search != null);
    }

    ChannelGroup connections() { return connections; }

    ThreadPoolExecutor queryPool() { return queryPool; }

    SubscriptionIndex indexFor(EventLoop loop) { return fanOut.indexFor(loop); }
}
