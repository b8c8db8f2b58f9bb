package dev.tern.sync;

import dev.tern.json.Json;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One relay-to-client message, as far as a sync reads it: its type, its string elements, an OK's flag, and an
 * EVENT's object as the bytes the relay sent (handed to the import unchanged).
 */
public record Incoming(String type, List<String> strings, Boolean flag, byte[] object) {
    public static final Incoming UNREADABLE = new Incoming("", List.of(), null, null);

    /** The i-th string element after the type, or "" if there is none. */
    public String string(int i) {
        return i < strings.size() ? strings.get(i) : "";
    }

    public static Incoming parse(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        try (JsonParser p = Json.parser(bytes)) {
            if (p.nextToken() != JsonToken.START_ARRAY || p.nextToken() != JsonToken.VALUE_STRING) return UNREADABLE;
            String type = p.getText();
            List<String> strings = new ArrayList<>(3);
            Boolean flag = null;
            byte[] object = null;
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
                switch (t) {
                    case VALUE_STRING -> strings.add(p.getText());
                    case VALUE_TRUE, VALUE_FALSE -> flag = t == JsonToken.VALUE_TRUE;
                    case START_OBJECT -> {
                        int start = (int) p.currentTokenLocation().getByteOffset();
                        p.skipChildren();
                        int end = (int) p.currentLocation().getByteOffset();
                        if (object == null) object = Arrays.copyOfRange(bytes, start, end);
                    }
                    default -> p.skipChildren();
                }
            }
            return new Incoming(type, strings, flag, object);
        } catch (IOException e) {
            return UNREADABLE;
        }
    }
}
