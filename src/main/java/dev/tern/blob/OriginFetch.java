package dev.tern.blob;

import dev.tern.http.HttpTimeouts;
import dev.tern.http.StallMeter;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * BUD-04's fetch of a mirrored blob: an HTTP/1.1 GET over a socket this class connects itself, so the address
 * checked ({@link MirrorAddresses}) is the address connected to: a name cannot resolve to a public address for
 * the check and to a private one for the connection. Redirects are followed (at most {@value #MAX_REDIRECTS}),
 * each target checked the same way. The origin is timed like an upload's client ({@link StallMeter}): the
 * connection, the answer head and the body must keep arriving, so a stalled origin frees its transfer slot.
 */
final class OriginFetch {
    static final int MAX_REDIRECTS = 5;
    private static final int CONNECT_MILLIS = 10_000;
    private static final int MAX_HEAD_BYTES = 64 * 1024;

    /** An origin's 200 answer: its length (-1 if unsaid), type (or null), and body, which the caller closes. */
    record Answer(long length, String type, InputStream body) {}

    private final HttpTimeouts timeouts;
    private final boolean allowPrivate;

    /** @param allowPrivate the operator lets mirrors reach loopback, private and other non-public addresses */
    OriginFetch(HttpTimeouts timeouts, boolean allowPrivate) {
        this.timeouts = timeouts;
        this.allowPrivate = allowPrivate;
    }

    /** GETs {@code url}, following redirects; 403 for a non-public address, 502 for any failure of the origin. */
    Answer get(URI url) {
        URI at = url;
        for (int hop = 0; ; hop++) {
            Socket socket = connect(at);
            try {
                // metered below the buffer: only the socket's reads are the origin's time
                InputStream in = new BufferedInputStream(new Metered(socket.getInputStream(), timeouts), BlobIntake.BUFFER_BYTES);
                request(socket.getOutputStream(), at);
                Head head = Head.read(in);
                if (head.status >= 300 && head.status < 400 && head.location != null) {
                    socket.close();
                    if (hop == MAX_REDIRECTS) throw new BlobException(502, url + " redirects more than " + MAX_REDIRECTS + " times");
                    at = redirect(at, head.location);
                    continue;
                }
                if (head.status != 200) throw new BlobException(502, at + " answered " + head.status);
                InputStream body = head.chunked ? new ChunkedInput(in, at) : new LengthInput(in, head.length, at);
                return new Answer(head.chunked ? -1 : head.length, head.type, new Closing(body, socket));
            } catch (IOException e) {
                closeQuietly(socket);
                throw new BlobException(502, "fetching " + at + " failed: " + e.getMessage());
            } catch (RuntimeException e) {
                closeQuietly(socket);
                throw e;
            }
        }
    }

    private static URI redirect(URI from, String location) {
        try {
            URI next = from.resolve(location.trim());
            return BlobMirror.usable(next);
        } catch (IllegalArgumentException e) {
            throw new BlobException(502, from + " redirects to an unusable location: " + location);
        } catch (BlobException e) {
            throw new BlobException(502, from + " redirects to " + location + ": " + e.getMessage());
        }
    }

    /** Resolves the URL's host and connects to its first address a mirror may reach. */
    private Socket connect(URI url) {
        boolean https = url.getScheme().equalsIgnoreCase("https");
        int port = url.getPort() > 0 ? url.getPort() : https ? 443 : 80;
        InetAddress[] all;
        try {
            all = InetAddress.getAllByName(url.getHost());
        } catch (UnknownHostException e) {
            throw new BlobException(502, "cannot resolve " + url.getHost());
        }
        List<String> refused = new ArrayList<>();
        IOException last = null;
        for (InetAddress a : all) {
            String kind = allowPrivate ? null : MirrorAddresses.nonPublic(a);
            if (kind != null) {
                refused.add(a.getHostAddress() + " (" + kind + ")");
                continue;
            }
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(a, port), CONNECT_MILLIS);
                s.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeouts.uploadIdle().toMillis())));
                return https ? tls(s, url.getHost(), port) : s;
            } catch (IOException e) {
                closeQuietly(s);
                last = e;
            }
        }
        if (last != null) throw new BlobException(502, "cannot connect to " + url.getHost() + ":" + port + ": " + last.getMessage());
        throw new BlobException(403, "mirrors may not fetch from " + url.getHost() + ": it resolves to " + String.join(", ", refused)
                + " (the operator may allow it with TERN_BLOSSOM_MIRROR_PRIVATE)");
    }

    /** TLS over the connected socket, the certificate checked against the URL's host name (and SNI sent). */
    private static Socket tls(Socket plain, String host, int port) throws IOException {
        String name = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        SSLSocket s = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(plain, name, port, true);
        SSLParameters p = s.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        if (!Character.isDigit(name.charAt(name.length() - 1)) && !name.contains(":")) p.setServerNames(List.of(new SNIHostName(name)));
        s.setSSLParameters(p);
        s.startHandshake();
        return s;
    }

    private static void request(OutputStream out, URI url) throws IOException {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) path += "?" + url.getRawQuery();
        String host = url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "");
        // identity: the bytes hashed are the blob's, not a compressed form of them
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: tern-blossom-mirror\r\nAccept: */*\r\n"
                + "Accept-Encoding: identity\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** The origin's answer head. */
    private record Head(int status, long length, String type, String location, boolean chunked) {
        static Head read(InputStream in) throws IOException {
            List<String> lines = new ArrayList<>();
            StringBuilder line = new StringBuilder();
            int total = 0;
            while (true) {
                int c = in.read();
                if (c < 0) throw new IOException("the connection closed before the answer head ended");
                if (++total > MAX_HEAD_BYTES) throw new IOException("the answer head is larger than " + MAX_HEAD_BYTES + " bytes");
                if (c == '\n') {
                    int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? line.length() - 1 : line.length();
                    if (end == 0) break;
                    lines.add(line.substring(0, end));
                    line.setLength(0);
                } else {
                    line.append((char) c);
                }
            }
            if (lines.isEmpty()) throw new IOException("an empty answer head");
            String[] statusLine = lines.get(0).split(" ", 3);
            if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) throw new IOException("not an HTTP/1.x answer");
            int status;
            try {
                status = Integer.parseInt(statusLine[1]);
            } catch (NumberFormatException e) {
                throw new IOException("a malformed status line: " + lines.get(0));
            }
            long length = -1;
            String type = null, location = null;
            boolean chunked = false;
            for (String h : lines.subList(1, lines.size())) {
                int colon = h.indexOf(':');
                if (colon <= 0) continue;
                String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT), value = h.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> {
                        try {
                            length = Long.parseLong(value);
                        } catch (NumberFormatException e) {
                            throw new IOException("a malformed Content-Length: " + value);
                        }
                    }
                    case "content-type" -> type = value;
                    case "location" -> location = value;
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    default -> { }
                }
            }
            return new Head(status, length, type, location, chunked);
        }
    }

    /** A stream read in blocks; a single byte is a block of one. */
    private abstract static class BlockInput extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }
    }

    /** The socket's input, timed: a read that waits past the idle window, or a rate below the minimum, fails. */
    private static final class Metered extends BlockInput {
        private final InputStream in;
        private final StallMeter meter;
        private final String idleSeconds;

        Metered(InputStream in, HttpTimeouts timeouts) {
            this.in = in;
            this.meter = new StallMeter(timeouts);
            this.idleSeconds = StallMeter.seconds(timeouts.uploadIdle());
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            meter.waiting(System.nanoTime());
            int n;
            try {
                n = in.read(b, off, len);
            } catch (SocketTimeoutException e) {
                throw new IOException("the origin stalled: nothing received for " + idleSeconds + " s");
            }
            long now = System.nanoTime();
            if (n > 0) meter.received(now, n);
            meter.notWaiting(now);
            String why = meter.stalled(now);
            if (why != null) throw new IOException("the origin stalled: " + why);
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** A body of a known length (or, unsaid, to the connection's end); ending early is a failure. */
    private static final class LengthInput extends BlockInput {
        private final InputStream in;
        private final URI url;
        private long left;

        LengthInput(InputStream in, long length, URI url) {
            this.in = in;
            this.left = length;
            this.url = url;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) return -1;
            int n = in.read(b, off, left < 0 ? len : (int) Math.min(len, left));
            if (n < 0) {
                if (left > 0) throw new IOException(url + " ended " + left + " bytes short of its Content-Length");
                return -1;
            }
            if (left > 0) left -= n;
            return n;
        }
    }

    /** A chunked body (RFC 9112 7.1), its chunk extensions and trailers skipped. */
    private static final class ChunkedInput extends BlockInput {
        private final InputStream in;
        private final URI url;
        private long chunkLeft;
        private boolean done;

        ChunkedInput(InputStream in, URI url) {
            this.in = in;
            this.url = url;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) return -1;
            if (chunkLeft == 0) {
                String size = line();
                int semi = size.indexOf(';');
                try {
                    chunkLeft = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException(url + " sent a malformed chunk size: " + size);
                }
                if (chunkLeft < 0) throw new IOException(url + " sent a malformed chunk size: " + size);
                if (chunkLeft == 0) {
                    while (!line().isEmpty()) { } // trailers
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, chunkLeft));
            if (n < 0) throw new IOException(url + " ended in the middle of a chunk");
            chunkLeft -= n;
            if (chunkLeft == 0 && !line().isEmpty()) throw new IOException(url + " sent a chunk longer than its size");
            return n;
        }

        private String line() throws IOException {
            StringBuilder s = new StringBuilder();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) throw new IOException(url + " ended in the middle of its chunked body");
                if (s.length() > 4096) throw new IOException(url + " sent a chunk line longer than 4096 bytes");
                if (c != '\r') s.append((char) c);
            }
            return s.toString();
        }
    }

    /** The body, closing the connection with it. */
    private static final class Closing extends InputStream {
        private final InputStream body;
        private final Socket socket;

        Closing(InputStream body, Socket socket) {
            this.body = body;
            this.socket = socket;
        }

        @Override
        public int read() throws IOException {
            return body.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return body.read(b, off, len);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already failing; the socket is gone either way
        }
    }
}
