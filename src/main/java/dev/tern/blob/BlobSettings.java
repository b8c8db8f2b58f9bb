package dev.tern.blob;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The Blossom media server's options (TERN_BLOSSOM_*).
 *
 * @param dir           where blob files live (content-addressed, fanned out)
 * @param maxBlobBytes  largest blob accepted (BUD-06: 413 beyond it)
 * @param quotaBytes    bytes one pubkey may own; 0 = no quota (owners and admins have none)
 * @param quotaBlobs    blobs one pubkey may own; 0 = no quota
 * @param types         media types accepted ({@code image/*} matches a family); empty = any (415 otherwise)
 * @param publicUploads anyone with a valid authorization may upload, not only whom the relay's ACL admits
 * @param publicReads   GET, HEAD and /list need no authorization
 * @param publicUrl     base of the URLs in blob descriptors; empty = from the request's Host header
 * @param mirrorPrivate BUD-04 mirrors may fetch from loopback, private, link-local, unique-local and multicast
 *                      addresses too, not only public ones
 */
public record BlobSettings(Path dir, long maxBlobBytes, long quotaBytes, long quotaBlobs, List<String> types,
                           boolean publicUploads, boolean publicReads, String publicUrl, boolean mirrorPrivate) {
    public BlobSettings {
        if (maxBlobBytes < 1) throw new IllegalArgumentException("the largest blob must be at least 1 byte");
        if (quotaBytes < 0 || quotaBlobs < 0) throw new IllegalArgumentException("quotas must not be negative");
        types = types.stream().map(t -> t.trim().toLowerCase(Locale.ROOT)).filter(t -> !t.isEmpty()).toList();
        publicUrl = publicUrl == null ? "" : publicUrl.replaceAll("/+$", "");
    }

    /** Parses a comma-separated list of media types. */
    public static List<String> parseTypes(String list) {
        return list == null || list.isBlank() ? List.of() : List.of(list.split(","));
    }

    /** Is {@code type} (without parameters) accepted? */
    public boolean allowsType(String type) {
        if (types.isEmpty()) return true;
        String t = MediaTypes.essence(type);
        for (String allowed : types) {
            if (allowed.equals(t) || allowed.endsWith("/*") && t.startsWith(allowed.substring(0, allowed.length() - 1))) return true;
        }
        return false;
    }
}
