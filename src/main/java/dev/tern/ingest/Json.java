package dev.tern.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** Renders small JSON documents with jackson-core's streaming generator. */
final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();

    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private Json() {}

    static String render(Body body) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.useDefaultPrettyPrinter();
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
