package dev.tern.search;

import dev.tern.json.Json;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tern.event.Event;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.Term;
import org.apache.lucene.util.BytesRef;

/**
 * The Lucene document of an indexed event. Nothing is stored: a hit's id is read from doc values, far cheaper
 * per hit than a stored field's compressed block, and the event from the event store. The rest is there to be
 * matched: the text, and id, author, kind, created_at, address, expiration and NIP-32 ISO-639-1 language labels
 * as filters and for removals. Author and kind are terms only (postings): as a filter they lead a query or are
 * skipped through, where doc values beside them would be written on every import for Lucene to choose between.
 */
final class SearchDocuments {
    static final String ID = "id";
    static final String PUBKEY = "pubkey";
    static final String KIND = "kind";
    static final String CREATED_AT = "created_at";
    static final String ADDRESS = "address";
    static final String EXPIRATION = "expiration";
    static final String LANGUAGE = "language";
    static final String TEXT = "text";

    /** Kind 0's JSON fields that are searched (NIP-01 and NIP-24 metadata; nip05 per NIP-05). */
    private static final Set<String> PROFILE_FIELDS = Set.of("name", "display_name", "about", "nip05");

    private SearchDocuments() {}

    /** The document for {@code e}, or null if it has no text to search. */
    static Document of(Event e) {
        String text = text(e);
        if (text.isBlank()) return null;
        Document d = new Document();
        d.add(new StringField(ID, new BytesRef(e.id()), Field.Store.NO));
        d.add(new BinaryDocValuesField(ID, new BytesRef(e.id())));
        d.add(new StringField(PUBKEY, new BytesRef(e.pubkey()), Field.Store.NO));
        d.add(new StringField(KIND, Integer.toString(e.kind()), Field.Store.NO));
        d.add(new LongField(CREATED_AT, e.createdAt(), Field.Store.NO));
        String address = e.address();
        if (address != null) d.add(new StringField(ADDRESS, address, Field.Store.NO));
        OptionalLong exp = e.expiration();
        if (exp.isPresent()) d.add(new LongField(EXPIRATION, exp.getAsLong(), Field.Store.NO));
        for (List<String> t : e.tags()) {
            // NIP-32: ["l", "en", "ISO-639-1"] labels the event's language
            if (t.size() >= 3 && t.get(0).equals("l") && t.get(2).equals("ISO-639-1")) {
                d.add(new StringField(LANGUAGE, t.get(1).toLowerCase(Locale.ROOT), Field.Store.NO));
            }
        }
        d.add(new TextField(TEXT, text, Field.Store.NO));
        return d;
    }

    static Term idTerm(byte[] id) {
        return new Term(ID, new BytesRef(id));
    }

    /**
     * The searchable text of {@code e}: kind 0's profile fields (NIP-01 metadata), kind 30023's title and
     * summary tags with its content (NIP-23), otherwise the content.
     */
    static String text(Event e) {
        return switch (e.kind()) {
            case 0 -> profileText(e.content());
            case 30023 -> join(e.firstTagValue("title"), e.firstTagValue("summary"), e.content());
            default -> e.content();
        };
    }

    private static String join(String... parts) {
        StringBuilder b = new StringBuilder();
        for (String p : parts) {
            if (p == null || p.isEmpty()) continue;
            if (!b.isEmpty()) b.append('\n');
            b.append(p);
        }
        return b.toString();
    }

    /** The string values of the profile's searched fields; a content that is not a JSON object has none. */
    private static String profileText(String content) {
        StringBuilder b = new StringBuilder();
        try (JsonParser p = Json.parser(content)) {
            // clients put raw line breaks and tabs in "about"; strict JSON would drop every field after the first one
            p.enable(JsonParser.Feature.ALLOW_UNQUOTED_CONTROL_CHARS);
            if (p.nextToken() != JsonToken.START_OBJECT) return "";
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (v == JsonToken.VALUE_STRING && PROFILE_FIELDS.contains(name)) {
                    if (!b.isEmpty()) b.append('\n');
                    b.append(p.getText());
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException malformed) {
            // what was read before the error still describes the profile
        }
        return b.toString();
    }
}
