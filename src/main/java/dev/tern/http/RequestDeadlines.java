package dev.tern.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes HTTP connections whose client is too slow sending its request (slowloris), so silent or
 * trickling sockets cannot pile up and a stalled upload cannot hold the one import slot:
 * <ul>
 * <li>a request head must be complete within {@link HttpTimeouts#header()} of the connection's start,
 *     or of the last answer on a keep-alive connection; a head begun but not finished gets 408 first;
 * <li>a request body must keep arriving by {@link StallMeter}'s rule, timed from the outbound
 *     {@code read} calls (the relay asks for bytes) to the end of each read. While the relay has paused
 *     reading (an import's pipe is full, autoRead is off) no read is asked for, so no time counts. On a
 *     stall it fires {@link BodyStalled} (an upload's receiver fails its import with the reason), answers
 *     408 if the request has no answer yet, and closes.
 * </ul>
 * It sits right after the HTTP codec, where it sees requests, responses and read calls. A WebSocket
 * upgrade removes it: an established relay connection may idle as long as it likes.
 */
public final class RequestDeadlines extends ChannelDuplexHandler {
    public static final String NAME = "http-deadlines";
    private static final Logger log = LoggerFactory.getLogger(RequestDeadlines.class);

    /** A request body stopped arriving; {@code reason} says how, for the client. */
    public record BodyStalled(String reason) {}

    private final HttpTimeouts timeouts;
    private long requests;        // request heads received
    private long answersStarted;  // final (non-1xx) response heads written
    private long answered;        // final responses written completely
    private StallMeter body;      // the request body being received, else null
    private ScheduledFuture<?> headDeadline;
    private boolean partialHead;  // bytes of the awaited head have arrived
    // The codec passes on nothing until a head is whole, so bytes of a partial head show only as a read
    // that ends: one asked for while the head is awaited (not one still delivering the last request).
    private boolean readPending;
    private boolean readDelivered;
    private boolean headReadPending;
    private ScheduledFuture<?> bodyCheck;

    public RequestDeadlines(HttpTimeouts timeouts) {
        this.timeouts = timeouts;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        awaitHead(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        readDelivered = true;
        if (msg instanceof HttpRequest) {
            cancelHeadDeadline();
            requests++;
            body = new StallMeter(timeouts);
        }
        if (msg instanceof HttpContent c && body != null) {
            body.received(System.nanoTime(), c.content().readableBytes());
            if (c instanceof LastHttpContent) {
                body = null;
                cancelBodyCheck();
                awaitHeadIfIdle(ctx);
            }
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void read(ChannelHandlerContext ctx) throws Exception {
        readPending = true;
        if (headDeadline != null) headReadPending = true;
        if (body != null) {
            body.waiting(System.nanoTime());
            if (bodyCheck == null) scheduleBodyCheck(ctx);
        }
        super.read(ctx);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (body != null) body.notWaiting(System.nanoTime());
        // (A read of no bytes would count too; epoll only wakes a read for data or for the end of the stream.)
        if (headDeadline != null && headReadPending) partialHead = true;
        readPending = false;
        readDelivered = false;
        super.channelReadComplete(ctx);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        boolean interim = msg instanceof HttpResponse r && r.status().codeClass() == HttpStatusClass.INFORMATIONAL;
        if (!interim) {
            if (msg instanceof HttpResponse) answersStarted++;
            if (msg instanceof LastHttpContent) {
                // The next head's clock starts once the answer is out, not while a slow reader still takes it.
                promise = promise.unvoid();
                promise.addListener(f -> {
                    answered++;
                    awaitHeadIfIdle(ctx);
                });
            }
        }
        super.write(ctx, msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelHeadDeadline();
        cancelBodyCheck();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelHeadDeadline();
        cancelBodyCheck();
    }

    /** Waits for the next request head once every request so far has been received and answered. */
    private void awaitHeadIfIdle(ChannelHandlerContext ctx) {
        if (body == null && answered == requests && headDeadline == null && !ctx.isRemoved() && ctx.channel().isActive()) {
            awaitHead(ctx);
        }
    }

    private void awaitHead(ChannelHandlerContext ctx) {
        partialHead = false;
        headReadPending = readPending && !readDelivered;
        headDeadline = ctx.executor().schedule(() -> {
            headDeadline = null;
            String why = "no complete request head within " + StallMeter.seconds(timeouts.header()) + " s";
            log.debug("closing {}: {}", ctx.channel().remoteAddress(), why);
            if (partialHead) requestTimeout(ctx, why);
            else ctx.close();
        }, timeouts.header().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void scheduleBodyCheck(ChannelHandlerContext ctx) {
        bodyCheck = ctx.executor().schedule(() -> checkBody(ctx), body.nanosUntilDue(System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void checkBody(ChannelHandlerContext ctx) {
        bodyCheck = null;
        if (body == null) return;
        long now = System.nanoTime();
        // Turning autoRead off drops a pending read without a read completing: that wait ends here.
        if (!ctx.channel().config().isAutoRead()) body.notWaiting(now);
        String why = body.stalled(now);
        if (why != null) {
            stalled(ctx, why);
        } else if (body.isWaiting()) {
            scheduleBodyCheck(ctx);
        } // else the next read call schedules the next check
    }

    private void stalled(ChannelHandlerContext ctx, String why) {
        body = null;
        boolean unanswered = answersStarted == answered && answered == requests - 1;
        log.debug("closing {}: request body stalled, {}", ctx.channel().remoteAddress(), why);
        ctx.fireUserEventTriggered(new BodyStalled(why));
        if (unanswered) requestTimeout(ctx, "request body stalled: " + why);
        else ctx.close(); // an upload answered at its start: the client learns why from its status
    }

    private static void requestTimeout(ChannelHandlerContext ctx, String why) {
        byte[] text = (why + "\n").getBytes(StandardCharsets.UTF_8);
        var res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_TIMEOUT, Unpooled.wrappedBuffer(text));
        // the reason also in X-Reason, as on every Blossom error (BUD-01): a stalled upload is often a Blossom client's
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .set("X-Reason", why)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        HttpUtil.setContentLength(res, text.length);
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }

    private void cancelHeadDeadline() {
        if (headDeadline != null) headDeadline.cancel(false);
        headDeadline = null;
    }

    private void cancelBodyCheck() {
        if (bodyCheck != null) bodyCheck.cancel(false);
        bodyCheck = null;
    }
}
