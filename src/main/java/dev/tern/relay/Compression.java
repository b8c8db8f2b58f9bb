package dev.tern.relay;

import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionDecoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandler;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandshaker;
import io.netty.handler.codec.http.websocketx.extensions.compression.DeflateFrameServerExtensionHandshaker;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;

/**
 * WebSocket compression for relay connections, when the client offers it: permessage-deflate (RFC 7692) as
 * Netty negotiates and inflates it, with tern's {@link MessageDeflater} sending; and the older
 * x-webkit-deflate-frame as Netty has it. Level 1: a REQ's follow lists are hundreds of KB of hex that level 6
 * compressed several times slower for a few percent. Messages under {@link #MIN_BYTES} (OK, EOSE, most notes) go
 * uncompressed: a client inflates each compressed message apart (node's {@code ws} through its thread pool), which
 * cost a REQ of a hundred notes ten times what it saved in bytes on loopback; {@code ws}'s own sender leaves out
 * messages under the same size (BENCHMARKS.md, "REQ latency with permessage-deflate").
 */
final class Compression {
    static final int LEVEL = 1;
    static final int MIN_BYTES = 1024;

    private Compression() {}

    /** The handshake and codec handler; inflated messages are capped at {@code maxInflatedBytes}. */
    static WebSocketServerExtensionHandler handler(int maxInflatedBytes) {
        var permessage = new PerMessageDeflateServerExtensionHandshaker(LEVEL, false,
                PerMessageDeflateServerExtensionHandshaker.MAX_WINDOW_SIZE, false, false, maxInflatedBytes);
        return new WebSocketServerExtensionHandler(offer -> {
            WebSocketServerExtension agreed = permessage.handshakeExtension(offer);
            return agreed == null ? null : new PerMessage(agreed);
        }, new DeflateFrameServerExtensionHandshaker(LEVEL, maxInflatedBytes));
    }

    /** Netty's agreement (parameters, response, inflater) with tern's sender. */
    private record PerMessage(WebSocketServerExtension agreed) implements WebSocketServerExtension {
        @Override
        public int rsv() {
            return agreed.rsv();
        }

        @Override
        public WebSocketExtensionEncoder newExtensionEncoder() {
            return new MessageDeflater(LEVEL, MIN_BYTES);
        }

        @Override
        public WebSocketExtensionDecoder newExtensionDecoder() {
            return agreed.newExtensionDecoder();
        }

        @Override
        public WebSocketExtensionData newReponseData() {
            return agreed.newReponseData();
        }
    }
}
