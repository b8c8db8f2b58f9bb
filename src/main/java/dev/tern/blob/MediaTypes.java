package dev.tern.blob;

import java.util.Locale;
import java.util.Map;

/**
 * Media types of blobs: the file extension a descriptor's URL carries (BUD-02 wants one), and a guess from
 * the first bytes when the uploader named no type (BUD-01: application/octet-stream when unknown).
 */
final class MediaTypes {
    static final String UNKNOWN = "application/octet-stream";
    /** How many leading bytes {@link #sniff} looks at. */
    static final int SNIFF_BYTES = 16;

    private static final Map<String, String> EXTENSIONS = Map.ofEntries(
            Map.entry("image/png", "png"), Map.entry("image/jpeg", "jpg"), Map.entry("image/gif", "gif"),
            Map.entry("image/webp", "webp"), Map.entry("image/svg+xml", "svg"), Map.entry("image/avif", "avif"),
            Map.entry("video/mp4", "mp4"), Map.entry("video/webm", "webm"), Map.entry("video/quicktime", "mov"),
            Map.entry("audio/mpeg", "mp3"), Map.entry("audio/ogg", "ogg"), Map.entry("audio/wav", "wav"),
            Map.entry("application/pdf", "pdf"), Map.entry("application/json", "json"), Map.entry("text/plain", "txt"),
            Map.entry("text/html", "html"), Map.entry("application/zip", "zip"), Map.entry(UNKNOWN, "bin"));

    private MediaTypes() {}

    /** The type without parameters, lower case: "text/plain; charset=utf-8" -> "text/plain". */
    static String essence(String type) {
        if (type == null) return "";
        int semi = type.indexOf(';');
        return (semi < 0 ? type : type.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /** A usable stored type: the essence if it looks like type/subtype, else null. */
    static String clean(String type) {
        String t = essence(type);
        return t.matches("[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+") && t.length() <= 127 ? t : null;
    }

    static String extension(String type) {
        String ext = EXTENSIONS.get(type);
        if (ext != null) return ext;
        int slash = type.indexOf('/');
        String sub = slash < 0 ? "" : type.substring(slash + 1).replaceAll("[^a-z0-9]", "");
        return sub.isEmpty() || sub.length() > 10 ? "bin" : sub;
    }

    /** The type the first bytes of a blob announce, or null. */
    static String sniff(byte[] head, int len) {
        if (starts(head, len, 0x89, 'P', 'N', 'G')) return "image/png";
        if (starts(head, len, 0xFF, 0xD8, 0xFF)) return "image/jpeg";
        if (starts(head, len, 'G', 'I', 'F', '8')) return "image/gif";
        if (starts(head, len, '%', 'P', 'D', 'F')) return "application/pdf";
        if (starts(head, len, 0x1A, 0x45, 0xDF, 0xA3)) return "video/webm";
        if (len >= 12 && starts(head, len, 'R', 'I', 'F', 'F') && head[8] == 'W' && head[9] == 'E' && head[10] == 'B' && head[11] == 'P') {
            return "image/webp";
        }
        if (len >= 12 && head[4] == 'f' && head[5] == 't' && head[6] == 'y' && head[7] == 'p') {
            return head[8] == 'q' && head[9] == 't' ? "video/quicktime" : "video/mp4";
        }
        return null;
    }

    private static boolean starts(byte[] b, int len, int... prefix) {
        if (len < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if ((b[i] & 0xff) != prefix[i]) return false;
        return true;
    }
}
