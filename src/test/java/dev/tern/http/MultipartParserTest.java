package dev.tern.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartParserTest {
    private static final String BOUNDARY = "----WebKitFormBoundary7MA4YWxkTrZu0gW";

    /** Collects every part's name, filename and bytes. */
    private static final class Collector implements MultipartParser.Listener {
        final List<MultipartParser.Part> parts = new ArrayList<>();
        final List<byte[]> bodies = new ArrayList<>();
        private ByteArrayOutputStream current;

        @Override
        public void partStart(MultipartParser.Part part) {
            parts.add(part);
            current = new ByteArrayOutputStream();
        }

        @Override
        public void partData(byte[] b, int off, int len) {
            assertTrue(len > 0, "empty slices are not emitted");
            current.write(b, off, len);
        }

        @Override
        public void partEnd() {
            bodies.add(current.toByteArray());
            current = null;
        }
    }

    // File content full of near-misses: CRLFs, dashes, and delimiter prefixes that stop short.
    private static final String FILE = "{\"kind\":1}\r\n--\r\n\r\n--" + BOUNDARY.substring(0, 20) + "x\r\n-"
            + "\r\n--" + BOUNDARY.substring(0, BOUNDARY.length() - 1) + "\n\r\r\n---" + BOUNDARY + "\r";

    private static byte[] body(String file) {
        String s = "preamble to ignore\r\n"
                + "--" + BOUNDARY + "\r\n"
                + "Content-Disposition: form-data; name=\"note\"\r\n\r\n"
                + "hello\r\n"
                + "--" + BOUNDARY + "  \r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"dump \\\"1\\\".jsonl\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n"
                + file + "\r\n"
                + "--" + BOUNDARY + "--\r\n"
                + "epilogue, ignored";
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Collector parse(byte[] body, int... cuts) throws IOException {
        Collector c = new Collector();
        MultipartParser p = new MultipartParser(BOUNDARY, c);
        int from = 0;
        for (int cut : cuts) {
            p.feed(body, from, cut - from);
            from = cut;
        }
        p.feed(body, from, body.length - from);
        p.finish();
        return c;
    }

    private static void assertParts(Collector c, String file) {
        assertEquals(2, c.parts.size());
        assertEquals("note", c.parts.get(0).name());
        assertNull(c.parts.get(0).filename());
        assertEquals("hello", new String(c.bodies.get(0), StandardCharsets.ISO_8859_1));
        assertEquals("file", c.parts.get(1).name());
        assertEquals("dump \"1\".jsonl", c.parts.get(1).filename());
        assertEquals("application/octet-stream", c.parts.get(1).contentType());
        assertEquals(file, new String(c.bodies.get(1), StandardCharsets.ISO_8859_1));
    }

    @Test
    void parsesInOneChunk() throws IOException {
        assertParts(parse(body(FILE)), FILE);
    }

    @Test
    void findsBoundariesSplitAtEveryPosition() throws IOException {
        byte[] body = body(FILE);
        for (int cut = 0; cut <= body.length; cut++) {
            assertParts(parse(body, cut), FILE);
        }
    }

    @Test
    void parsesOneByteAtATime() throws IOException {
        byte[] body = body(FILE);
        int[] cuts = new int[body.length - 1];
        for (int i = 0; i < cuts.length; i++) cuts[i] = i + 1;
        assertParts(parse(body, cuts), FILE);
    }

    @Test
    void survivesRandomChunkingOfRandomContent() throws IOException {
        Random r = new Random(42);
        byte[] alphabet = ("\r\n-" + BOUNDARY.substring(0, 6) + "x").getBytes(StandardCharsets.ISO_8859_1);
        for (int round = 0; round < 300; round++) {
            StringBuilder f = new StringBuilder();
            int len = r.nextInt(200);
            for (int i = 0; i < len; i++) f.append((char) alphabet[r.nextInt(alphabet.length)]);
            String file = f.toString();
            byte[] body = body(file);
            int[] cuts = r.ints(r.nextInt(8), 0, body.length + 1).sorted().toArray();
            assertParts(parse(body, cuts), file);
        }
    }

    @Test
    void bodyStartingWithTheBoundaryAndEmptyParts() throws IOException {
        String s = "--b\r\n\r\n\r\n--b\r\nContent-Disposition: form-data; name=file\r\n\r\n\r\n--b--";
        Collector c = new Collector();
        MultipartParser p = new MultipartParser("b", c);
        byte[] body = s.getBytes(StandardCharsets.ISO_8859_1);
        p.feed(body, 0, body.length);
        p.finish();
        assertEquals(2, c.parts.size());
        assertNull(c.parts.get(0).name());
        assertEquals("file", c.parts.get(1).name());
        assertArrayEquals(new byte[0], c.bodies.get(0));
        assertArrayEquals(new byte[0], c.bodies.get(1));
    }

    @Test
    void truncatedBodyFails() throws IOException {
        byte[] body = body(FILE);
        MultipartParser p = new MultipartParser(BOUNDARY, new Collector());
        p.feed(body, 0, body.length / 2);
        assertThrows(MultipartParser.MultipartException.class, p::finish);
    }

    @Test
    void oversizedHeadersFail() {
        String s = "--b\r\nX: " + "a".repeat(MultipartParser.MAX_HEADER_BYTES) + "\r\n\r\n";
        MultipartParser p = new MultipartParser("b", new Collector());
        byte[] body = s.getBytes(StandardCharsets.ISO_8859_1);
        assertThrows(MultipartParser.MultipartException.class, () -> p.feed(body, 0, body.length));
    }

    @Test
    void readsTheBoundaryParameter() {
        assertEquals("abc", MultipartParser.boundaryOf("multipart/form-data; boundary=abc"));
        assertEquals("a b", MultipartParser.boundaryOf("multipart/form-data; charset=utf-8; Boundary=\"a b\""));
        assertNull(MultipartParser.boundaryOf("multipart/form-data"));
    }
}
