package dev.tern.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The process's one jackson-core factory, made once: streaming parsers for Nostr messages and the small
 * documents the relay reads (NIP-86 calls, stored meta values), and the writing helpers for the JSON the
 * relay produces (API answers, stats, reports, meta values).
 */
public final class Json {
    /** Nesting is capped well below Jackson's default: events are two levels deep, the relay's documents few more. */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();

    private Json() {}

    /** Writes one JSON value to the generator it is given. */
    @FunctionalInterface
    public interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    /** A streaming parser over {@code data[off, off + len)}; the caller closes it. */
    public static JsonParser parser(byte[] data, int off, int len) throws IOException {
        return FACTORY.createParser(data, off, len);
    }

    public static JsonParser parser(byte[] data) throws IOException {
        return FACTORY.createParser(data);
    }

    public static JsonParser parser(String text) throws IOException {
        return FACTORY.createParser(text);
    }

    /** The value {@code body} writes, as UTF-8 bytes. */
    public static byte[] bytes(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory does not fail
        }
        return out.toByteArray();
    }

    /** The value {@code body} writes, as a string. */
    public static String string(Body body) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * A generator writing to {@code out}, for a document written piece by piece or to a file; closing it
     * closes {@code out}. {@code pretty}: indented for people to read.
     */
    public static JsonGenerator generator(OutputStream out, boolean pretty) throws IOException {
        JsonGenerator g = FACTORY.createGenerator(out);
        if (pretty) g.useDefaultPrettyPrinter();
        return g;
    }
}
