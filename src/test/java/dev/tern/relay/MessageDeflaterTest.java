package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtension;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.Inflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** permessage-deflate's sending side (RFC 7692): what it compresses, and that a receiver inflates it back. */
class MessageDeflaterTest {
    private final EmbeddedChannel channel = new EmbeddedChannel(new MessageDeflater(1, 100));
    /** The receiver's one inflater for the connection: the sender keeps its context between messages. */
    private final Inflater inflater = new Inflater(true);

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
        inflater.end();
    }

    @Test
    void largeMessagesAreCompressedAndInflateBackInOrder() throws Exception {
        byte[] first = followList(new Random(1), 2000);
        byte[] second = followList(new Random(2), 3000);
        for (byte[] message : new byte[][] {first, second, first}) {
            WebSocketFrame out = send(new TextWebSocketFrame(Unpooled.directBuffer().writeBytes(message)));
            assertInstanceOf(TextWebSocketFrame.class, out);
            assertEquals(WebSocketExtension.RSV1, out.rsv());
            assertTrue(out.content().readableBytes() < message.length * 0.7, "hex deflates: " + out.content().readableBytes());
            assertArrayEquals(message, inflate(out));
            out.release();
        }
    }

    @Test
    void smallMessagesGoOutPlainBetweenCompressedOnes() throws Exception {
        byte[] big = followList(new Random(3), 50);
        WebSocketFrame a = send(new TextWebSocketFrame(Unpooled.wrappedBuffer(big)));
        WebSocketFrame small = send(new TextWebSocketFrame("[\"EOSE\",\"sub\"]"));
        WebSocketFrame b = send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(big)));
        assertEquals(0, small.rsv(), "RFC 7692 section 6: an uncompressed message has RSV1 clear");
        assertEquals("[\"EOSE\",\"sub\"]", small.content().toString(StandardCharsets.UTF_8));
        assertArrayEquals(big, inflate(a));
        assertInstanceOf(BinaryWebSocketFrame.class, b);
        assertArrayEquals(big, inflate(b));
        a.release();
        small.release();
        b.release();
    }

    @Test
    void aFragmentedMessageIsCompressedWholeWithRsv1OnItsFirstFrame() throws Exception {
        WebSocketFrame head = send(new TextWebSocketFrame(false, 0, Unpooled.copiedBuffer("[\"NOTICE\",", StandardCharsets.UTF_8)));
        WebSocketFrame tail = send(new ContinuationWebSocketFrame(true, 0, Unpooled.copiedBuffer("\"hi\"]", StandardCharsets.UTF_8)));
        assertEquals(WebSocketExtension.RSV1, head.rsv());
        assertEquals(0, tail.rsv());
        ByteBuf whole = Unpooled.wrappedBuffer(head.content(), tail.content());
        assertEquals("[\"NOTICE\",\"hi\"]", new String(inflate(whole), StandardCharsets.UTF_8));
        whole.release();
    }

    @Test
    void controlFramesPassUntouched() {
        assertTrue(channel.writeOutbound(new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[200]))));
        PingWebSocketFrame ping = channel.readOutbound();
        assertEquals(0, ping.rsv());
        assertEquals(200, ping.content().readableBytes());
        ping.release();
        assertFalse(channel.finish());
    }

    private WebSocketFrame send(WebSocketFrame frame) {
        assertTrue(channel.writeOutbound(frame));
        return channel.readOutbound();
    }

    /** A kind-3 event's shape: many p tags of random hex keys. */
    private static byte[] followList(Random random, int follows) {
        StringBuilder s = new StringBuilder("[\"EVENT\",\"s\",{\"kind\":3,\"tags\":[");
        byte[] key = new byte[32];
        for (int i = 0; i < follows; i++) {
            random.nextBytes(key);
            s.append(i > 0 ? "," : "").append("[\"p\",\"").append(ByteBufUtil.hexDump(key)).append("\"]");
        }
        return s.append("]}]").toString().getBytes(StandardCharsets.UTF_8);
    }

    private byte[] inflate(WebSocketFrame frame) throws Exception {
        return inflate(frame.content());
    }

    /** Section 7.2.2: the receiver appends the 00 00 ff ff the sender left off. */
    private byte[] inflate(ByteBuf payload) throws Exception {
        byte[] in = new byte[payload.readableBytes() + 4];
        payload.getBytes(payload.readerIndex(), in, 0, payload.readableBytes());
        in[in.length - 2] = (byte) 0xff;
        in[in.length - 1] = (byte) 0xff;
        inflater.setInput(in);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int n; (n = inflater.inflate(buf)) > 0; ) out.write(buf, 0, n);
        return out.toByteArray();
    }
}
