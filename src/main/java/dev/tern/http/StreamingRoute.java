package dev.tern.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;

/**
 * A route whose request body is streamed to it (an upload of any size) rather than aggregated. All
 * methods run on the connection's event loop and must not block.
 */
@FunctionalInterface
public interface StreamingRoute {
    /**
     * The request head has arrived. Returns the receiver of the body, or null after answering the
     * request itself (an error: the body is then discarded and the connection closed).
     */
    BodyReceiver start(ChannelHandlerContext ctx, HttpRequest request);

    /** Receives one request's body. */
    interface BodyReceiver {
        /** The next piece of the body; the caller releases it after this returns. */
        void content(ByteBuf chunk) throws Exception;

        /** The body is complete. */
        void end() throws Exception;

        /**
         * The body will not be complete: the connection closed or failed, or the client was too slow
         * (a {@link java.util.concurrent.TimeoutException} with the reason).
         */
        void abort(Throwable cause);
    }
}
