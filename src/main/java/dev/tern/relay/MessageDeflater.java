package dev.tern.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtension;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.Deflater;

/**
 * The sending side of permessage-deflate (RFC 7692) on one connection: each message of at least
 * {@code minBytes} is compressed with the JDK's zlib straight from and into direct buffers, in one
 * compression context kept for the whole connection (context takeover, section 7.1.1). Smaller messages go
 * out uncompressed, RSV1 clear, as section 6 allows: they shrink by a few hundred bytes, and the receiver's
 * inflate of each message costs more than that (BENCHMARKS.md, "REQ latency with permessage-deflate").
 * Huffman coding only, no string matching (so the kept context holds nothing a later message refers to): what is
 * large is mostly hex (follow lists), whose 4 bits a character Huffman codes about as well as matching does, and
 * matching cost a follow-list REQ more time than its few percent of bytes saved.
 */
final class MessageDeflater extends WebSocketExtensionEncoder {
    /** Section 7.2.1: a message's compressed data ends with the empty block 00 00 ff ff, which is left off. */
    private static final int TAIL = 4;
    private static final byte[] NO_INPUT = new byte[0];
    private final int level;
    private final int minBytes;
    /** zlib's window and hash tables (about 256 KB outside the heap), made on the first compressed message. */
    private Deflater deflater;
    /** The message whose fragments are being sent is compressed (its first frame decided). */
    private boolean compressing;

    MessageDeflater(int level, int minBytes) {
        this.level = level;
        this.minBytes = Math.max(1, minBytes);
    }

    /** Whether a whole message of {@code bytes} goes out compressed (the writer flushes those at once). */
    boolean compresses(int bytes) {
        return bytes >= minBytes;
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame || msg instanceof ContinuationWebSocketFrame;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
        boolean first = !(frame instanceof ContinuationWebSocketFrame);
        if (first) compressing = !frame.isFinalFragment() || compresses(frame.content().readableBytes());
        if (!compressing) {
            out.add(frame.retain());
            return;
        }
        ByteBuf deflated = deflate(ctx, frame.content());
        if (frame.isFinalFragment()) deflated.writerIndex(deflated.writerIndex() - TAIL);
        int rsv = first ? frame.rsv() | WebSocketExtension.RSV1 : frame.rsv(); // section 6: RSV1 on the first frame only
        out.add(switch (frame) {
            case TextWebSocketFrame t -> new TextWebSocketFrame(t.isFinalFragment(), rsv, deflated);
            case BinaryWebSocketFrame b -> new BinaryWebSocketFrame(b.isFinalFragment(), rsv, deflated);
            default -> new ContinuationWebSocketFrame(frame.isFinalFragment(), rsv, deflated);
        });
    }

    /** The content compressed and sync-flushed, so the receiver can inflate it whole. */
    private ByteBuf deflate(ChannelHandlerContext ctx, ByteBuf content) {
        if (deflater == null) {
            deflater = new Deflater(level, true);
            deflater.setStrategy(Deflater.HUFFMAN_ONLY); // see the class comment
            deflater.deflate(NO_INPUT); // the JDK applies it at the next call, which then compresses nothing: this one
        }
        int length = content.readableBytes();
        if (content.nioBufferCount() == 1) {
            deflater.setInput(content.nioBuffer());
        } else {
            byte[] copy = new byte[length];
            content.getBytes(content.readerIndex(), copy);
            deflater.setInput(copy);
        }
        // JSON of hex keys codes to a little over half; the buffer grows if it does not
        ByteBuf out = ctx.alloc().directBuffer(length * 5 / 8 + 64);
        for (;;) {
            ByteBuffer room = out.nioBuffer(out.writerIndex(), out.writableBytes());
            int n = deflater.deflate(room, Deflater.SYNC_FLUSH);
            out.writerIndex(out.writerIndex() + n);
            if (out.isWritable()) { // a sync flush that did not fill the room has taken all the input
                deflater.setInput(NO_INPUT); // holds no view of the frame, which is released after this
                return out;
            }
            out.ensureWritable(Math.max(64, out.capacity()));
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
        if (deflater != null) deflater.end();
        deflater = null;
        super.handlerRemoved(ctx);
    }
}
