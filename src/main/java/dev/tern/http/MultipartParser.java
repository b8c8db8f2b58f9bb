package dev.tern.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A push parser for {@code multipart/form-data} bodies (RFC 7578 / RFC 2046) that never holds more
 * than one part's header block: part bodies are handed to the {@link Listener} as they arrive, in
 * slices of the fed chunks. Netty's HttpPostRequestDecoder would buffer or spool file parts to disk;
 * an import upload can be gigabytes, so we stream instead.
 *
 * <p>The delimiter {@code CRLF "--" boundary} is found with a Knuth-Morris-Pratt matcher whose state
 * carries across {@link #feed} calls, so a delimiter split at any chunk edge is found. Bytes held
 * back as a possible delimiter prefix are always equal to that prefix, so they are re-emitted from
 * the delimiter itself when the match fails, and nothing from earlier chunks needs to be kept.
 */
public final class MultipartParser {

    /** Receives the parts of the body in order. */
    public interface Listener {
        void partStart(Part part) throws IOException;

        void partData(byte[] b, int off, int len) throws IOException;

        void partEnd() throws IOException;
    }

    /** One part's headers; {@code name} and {@code filename} come from Content-Disposition. */
    public record Part(Map<String, String> headers, String name, String filename) {
        public String contentType() {
            return headers.getOrDefault("content-type", "text/plain");
        }
    }

    /** Largest header block of one part; a file part's headers are a few hundred bytes. */
    static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final int MAX_BOUNDARY_LENGTH = 70;

    private enum State { PREAMBLE, AFTER_DELIMITER, CLOSE_DASH, DELIMITER_LF, HEADERS, BODY, EPILOGUE }

    private final byte[] delimiter;
    private final int[] fallback;
    private final Listener listener;
    private final ByteArrayOutputStream headerBytes = new ByteArrayOutputStream(256);

    private State state = State.PREAMBLE;
    /** Length of the delimiter prefix matched so far (the held-back bytes). */
    private int matched;
    /** Logical offset in the body of the next byte, counting the virtual leading CRLF. */
    private long position;
    /** Logical offset up to which body bytes have been emitted (or, in the preamble, skipped). */
    private long emitted;

    public MultipartParser(String boundary, Listener listener) {
        if (boundary.isEmpty() || boundary.length() > MAX_BOUNDARY_LENGTH) {
            throw new IllegalArgumentException("multipart boundary must be 1 to 70 characters");
        }
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.fallback = failureFunction(delimiter);
        this.listener = listener;
        // The first delimiter may start the body without a CRLF before it: act as if one was read.
        this.matched = 2;
        this.position = 2;
    }

    /** The boundary parameter of a multipart Content-Type header, or null if there is none. */
    public static String boundaryOf(String contentType) {
        if (contentType == null) return null;
        for (String param : contentType.split(";")) {
            String p = param.trim();
            if (p.regionMatches(true, 0, "boundary=", 0, 9)) {
                String b = p.substring(9).trim();
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) b = b.substring(1, b.length() - 1);
                return b.isEmpty() ? null : b;
            }
        }
        return null;
    }

    /** Parses the next chunk of the body. */
    public void feed(byte[] b, int off, int len) throws IOException {
        int end = off + len;
        long chunkStart = position;
        int heldAtStart = matched;
        int i = off;
        while (i < end) {
            switch (state) {
                case PREAMBLE, BODY -> {
                    i = scan(b, i, end, chunkStart, heldAtStart, off);
                }
                case AFTER_DELIMITER -> {
                    byte c = b[i++];
                    position++;
                    if (c == '-') state = State.CLOSE_DASH;
                    else if (c == '\r') state = State.DELIMITER_LF;
                    else if (c != ' ' && c != '\t') throw new MultipartException("malformed multipart delimiter line");
                }
                case CLOSE_DASH -> {
                    position++;
                    if (b[i++] != '-') throw new MultipartException("malformed closing multipart delimiter");
                    state = State.EPILOGUE;
                }
                case DELIMITER_LF -> {
                    position++;
                    if (b[i++] != '\n') throw new MultipartException("malformed multipart delimiter line");
                    headerBytes.reset();
                    state = State.HEADERS;
                }
                case HEADERS -> {
                    byte c = b[i++];
                    position++;
                    headerBytes.write(c);
                    if (headerBytes.size() > MAX_HEADER_BYTES) throw new MultipartException("multipart part headers are too large");
                    if (c == '\n' && endsWithBlankLine()) {
                        listener.partStart(parseHeaders());
                        state = State.BODY;
                        emitted = position;
                        matched = 0;
                    }
                }
                case EPILOGUE -> {
                    position += end - i;
                    emitted = position;
                    i = end;
                }
            }
        }
        if (state == State.BODY) emitUpTo(position - matched, b, off, chunkStart, heldAtStart);
        else if (state == State.PREAMBLE) emitted = position - matched;
    }

    /** The body has ended: it is an error if the closing delimiter has not been seen. */
    public void finish() throws IOException {
        if (state != State.EPILOGUE) throw new MultipartException("multipart body ended before its closing boundary");
    }

    /** Scans body or preamble bytes for the delimiter; returns the index after the last byte consumed. */
    private int scan(byte[] b, int i, int end, long chunkStart, int heldAtStart, int off) throws IOException {
        int m = matched;
        while (i < end) {
            byte c = b[i++];
            position++;
            while (m > 0 && delimiter[m] != c) m = fallback[m - 1];
            if (delimiter[m] == c) m++;
            if (m == delimiter.length) {
                if (state == State.BODY) {
                    emitUpTo(position - delimiter.length, b, off, chunkStart, heldAtStart);
                    listener.partEnd();
                }
                emitted = position;
                matched = 0;
                state = State.AFTER_DELIMITER;
                return i;
            }
        }
        matched = m;
        return i;
    }

    /**
     * Emits body bytes in [emitted, to). Bytes before this chunk are the delimiter prefix that was
     * held back at its start; the rest are in the chunk.
     */
    private void emitUpTo(long to, byte[] b, int off, long chunkStart, int heldAtStart) throws IOException {
        if (to <= emitted) return;
        if (emitted < chunkStart) {
            long heldFrom = chunkStart - heldAtStart;
            int from = (int) (emitted - heldFrom);
            int upTo = (int) (Math.min(to, chunkStart) - heldFrom);
            listener.partData(delimiter, from, upTo - from);
            emitted = Math.min(to, chunkStart);
        }
        if (to > emitted) {
            listener.partData(b, off + (int) (emitted - chunkStart), (int) (to - emitted));
            emitted = to;
        }
    }

    private boolean endsWithBlankLine() {
        byte[] h = headerBytes.toByteArray();
        int n = h.length;
        // An empty header block is just CRLF; otherwise the block ends with CRLF CRLF.
        return (n == 2 && h[0] == '\r') || (n >= 4 && h[n - 2] == '\r' && h[n - 3] == '\n' && h[n - 4] == '\r');
    }

    private Part parseHeaders() throws MultipartException {
        Map<String, String> headers = new LinkedHashMap<>();
        String block = headerBytes.toString(StandardCharsets.UTF_8);
        for (String line : block.split("\r\n")) {
            if (line.isEmpty()) continue;
            int colon = line.indexOf(':');
            if (colon <= 0) throw new MultipartException("malformed multipart part header");
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        Map<String, String> disposition = dispositionParams(headers.getOrDefault("content-disposition", ""));
        return new Part(headers, disposition.get("name"), disposition.get("filename"));
    }

    /** Parameters of a Content-Disposition value, with quoted-string values unquoted. */
    static Map<String, String> dispositionParams(String value) {
        Map<String, String> params = new LinkedHashMap<>();
        int i = value.indexOf(';');
        while (i >= 0 && i < value.length()) {
            i++;
            while (i < value.length() && value.charAt(i) == ' ') i++;
            int eq = value.indexOf('=', i);
            if (eq < 0) break;
            String key = value.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            StringBuilder v = new StringBuilder();
            int j = eq + 1;
            if (j < value.length() && value.charAt(j) == '"') {
                for (j++; j < value.length() && value.charAt(j) != '"'; j++) {
                    char c = value.charAt(j);
                    if (c == '\\' && j + 1 < value.length()) c = value.charAt(++j);
                    v.append(c);
                }
                j = value.indexOf(';', j);
            } else {
                int semi = value.indexOf(';', j);
                v.append(value, j, semi < 0 ? value.length() : semi);
                j = semi;
            }
            params.put(key, v.toString().trim());
            i = j;
        }
        return params;
    }

    private static int[] failureFunction(byte[] p) {
        int[] f = new int[p.length];
        for (int i = 1, k = 0; i < p.length; i++) {
            while (k > 0 && p[i] != p[k]) k = f[k - 1];
            if (p[i] == p[k]) k++;
            f[i] = k;
        }
        return f;
    }

    /** A body that is not valid multipart. */
    public static final class MultipartException extends IOException {
        public MultipartException(String message) {
            super(message);
        }
    }
}
