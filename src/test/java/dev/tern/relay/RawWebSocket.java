package dev.tern.relay;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A bare-socket WebSocket client for what java.net.http cannot do: offer permessage-deflate, look at
 * frame header bits, or stop reading altogether (a tiny receive buffer makes that bite quickly).
 */
final class RawWebSocket implements AutoCloseable {
    final Socket socket;
    final String responseHeaders;
    private final DataInputStream in;
    private final OutputStream out;

    /** A received frame: its RSV1 bit (set when permessage-deflate compressed it) and its payload. */
    record Frame(int opcode, boolean rsv1, byte[] payload) {}

    RawWebSocket(int port, String extraHeaders, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) socket.setReceiveBufferSize(receiveBuffer);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(15_000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        String req = "GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n"
                + extraHeaders + "\r\n";
        out.write(req.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        responseHeaders = readHeaders(in);
    }

    private static String readHeaders(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) throw new IOException("connection closed during the handshake: " + b);
            b.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    void sendText(String text) throws IOException {
        sendText(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A final text frame with these payload bytes as they are (they need not be valid UTF-8). */
    void sendText(byte[] payload) throws IOException {
        sendFrame(0x81, payload);
    }

    /** One text message in {@code pieces} frames: a text frame, then continuations, the last one final. */
    void sendFragmented(byte[] payload, int pieces) throws IOException {
        int step = (payload.length + pieces - 1) / pieces;
        for (int from = 0, i = 0; from < payload.length; from += step, i++) {
            int to = Math.min(payload.length, from + step);
            sendFrame((i == 0 ? 0x01 : 0x00) | (to == payload.length ? 0x80 : 0), java.util.Arrays.copyOfRange(payload, from, to));
        }
    }

    /** A final text frame compressed with permessage-deflate (RFC 7692: RSV1 set, the empty block's tail left off). */
    void sendCompressedText(byte[] payload) throws IOException {
        java.util.zip.Deflater d = new java.util.zip.Deflater(java.util.zip.Deflater.DEFAULT_COMPRESSION, true);
        d.setInput(payload);
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = d.deflate(buf, 0, buf.length, java.util.zip.Deflater.SYNC_FLUSH)) > 0) z.write(buf, 0, n);
        d.end();
        byte[] all = z.toByteArray();
        sendFrame(0xc1, java.util.Arrays.copyOf(all, all.length - 4));
    }

    /** A masked frame: {@code b0} is the first byte (FIN, RSV bits, opcode). */
    void sendFrame(int b0, byte[] payload) throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
        f.write(b0);
        if (payload.length < 126) {
            f.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            f.write(0x80 | 126);
            f.write(payload.length >> 8);
            f.write(payload.length);
        } else {
            f.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) f.write((int) ((long) payload.length >> (8 * i)));
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        f.write(mask);
        for (int i = 0; i < payload.length; i++) f.write(payload[i] ^ mask[i & 3]);
        out.write(f.toByteArray());
        out.flush();
    }

    /** A masked close frame with status 1000 (normal closure). */
    void sendClose() throws IOException {
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        byte[] f = {(byte) 0x88, (byte) 0x82, mask[0], mask[1], mask[2], mask[3], (byte) (0x03 ^ mask[0]), (byte) (0xe8 ^ mask[1])};
        out.write(f);
        out.flush();
    }

    Frame readFrame() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) len = in.readUnsignedShort();
        else if (len == 127) len = in.readLong();
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        return new Frame(b0 & 0x0f, (b0 & 0x40) != 0, payload);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
