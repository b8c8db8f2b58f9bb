package dev.tern.relay;

import dev.tern.event.JsonBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

/** Relay-to-client messages of NIP-01, NIP-42, NIP-45 and NIP-77 as WebSocket text frames. */
final class Wire {
    private Wire() {}

    /** {@code ["EVENT","<subid>",} computed once per subscription, so each event is a copy of its stored bytes. */
    static byte[] eventPrefix(String subId) {
        return new JsonBytes(16 + subId.length()).ascii("[\"EVENT\",").string(subId).raw((byte) ',').toByteArray();
    }

    static TextWebSocketFrame event(ByteBufAllocator alloc, byte[] prefix, byte[] json) {
        ByteBuf buf = alloc.directBuffer(prefix.length + json.length + 1);
        buf.writeBytes(prefix).writeBytes(json).writeByte(']');
        return new TextWebSocketFrame(buf);
    }

    static TextWebSocketFrame ok(byte[] eventId, boolean accepted, String message) {
        return frame(new JsonBytes(96 + message.length()).ascii("[\"OK\",").hexString(eventId)
                .ascii(accepted ? ",true," : ",false,").string(message).raw((byte) ']'));
    }

    static TextWebSocketFrame eose(String subId) {
        return frame(new JsonBytes(16 + subId.length()).ascii("[\"EOSE\",").string(subId).raw((byte) ']'));
    }

    static TextWebSocketFrame closed(String subId, String message) {
        return frame(new JsonBytes(32 + subId.length() + message.length()).ascii("[\"CLOSED\",").string(subId)
                .raw((byte) ',').string(message).raw((byte) ']'));
    }

    static TextWebSocketFrame notice(String message) {
        return frame(new JsonBytes(16 + message.length()).ascii("[\"NOTICE\",").string(message).raw((byte) ']'));
    }

    static TextWebSocketFrame auth(String challenge) {
        return frame(new JsonBytes(16 + challenge.length()).ascii("[\"AUTH\",").string(challenge).raw((byte) ']'));
    }

    /** NIP-45: {@code ["COUNT", <subid>, {"count": n}]}, with {@code "hll": "<hex>"} when {@code hll} is not null. */
    static TextWebSocketFrame count(String subId, long n, String hll) {
        JsonBytes b = new JsonBytes(48 + subId.length() + (hll == null ? 0 : hll.length()));
        b.ascii("[\"COUNT\",").string(subId).ascii(",{\"count\":").number(n);
        if (hll != null) b.ascii(",\"hll\":").string(hll);
        return frame(b.ascii("}]"));
    }

    /** NIP-77: {@code ["NEG-MSG", <subid>, <hex>]}. */
    static TextWebSocketFrame negMsg(String subId, byte[] message) {
        return frame(new JsonBytes(32 + subId.length() + 2 * message.length).ascii("[\"NEG-MSG\",").string(subId)
                .raw((byte) ',').hexString(message).raw((byte) ']'));
    }

    /** NIP-77: {@code ["NEG-ERR", <subid>, <reason>]}; the session is closed. */
    static TextWebSocketFrame negErr(String subId, String reason) {
        return frame(new JsonBytes(32 + subId.length() + reason.length()).ascii("[\"NEG-ERR\",").string(subId)
                .raw((byte) ',').string(reason).raw((byte) ']'));
    }

    private static TextWebSocketFrame frame(JsonBytes json) {
        return new TextWebSocketFrame(Unpooled.wrappedBuffer(json.toByteArray()));
    }
}
