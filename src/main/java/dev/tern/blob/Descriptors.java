package dev.tern.blob;

import dev.tern.json.Json;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;

/** Blob descriptors (BUD-02), with BUD-08's NIP-94 tags on the answers to uploads and mirrors. */
final class Descriptors {
    /** One blob as a descriptor names it. */
    record Descriptor(String sha256, long size, String type, long uploaded) {
        Descriptor(String sha256, BlobMeta meta, long uploaded) {
            this(sha256, meta.size(), meta.type(), uploaded);
        }
    }

    private Descriptors() {}

    /** BUD-02: the URL carries a file extension so clients can embed it. */
    static String url(String base, String sha256, String type) {
        return base + "/" + sha256 + "." + MediaTypes.extension(type);
    }

    static byte[] one(String base, Descriptor d, boolean nip94) {
        return Json.bytes(g -> write(g, base, d, nip94));
    }

    static byte[] list(String base, List<Descriptor> ds) {
        return Json.bytes(g -> {
            g.writeStartArray();
            for (Descriptor d : ds) write(g, base, d, false);
            g.writeEndArray();
        });
    }

    private static void write(JsonGenerator g, String base, Descriptor d, boolean nip94) throws IOException {
        String url = url(base, d.sha256(), d.type());
        g.writeStartObject();
        g.writeStringField("url", url);
        g.writeStringField("sha256", d.sha256());
        g.writeNumberField("size", d.size());
        g.writeStringField("type", d.type());
        g.writeNumberField("uploaded", d.uploaded());
        if (nip94) {
            // BUD-08: NIP-94 file metadata tags a client can put in its kind 1063 event as they are
            g.writeArrayFieldStart("nip94");
            pair(g, "url", url);
            pair(g, "m", d.type());
            pair(g, "x", d.sha256());
            pair(g, "ox", d.sha256()); // stored unchanged: the original hash is the same
            pair(g, "size", Long.toString(d.size()));
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static void pair(JsonGenerator g, String name, String value) throws IOException {
        g.writeStartArray();
        g.writeString(name);
        g.writeString(value);
        g.writeEndArray();
    }

}
