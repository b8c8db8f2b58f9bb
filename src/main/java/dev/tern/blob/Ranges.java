package dev.tern.blob;

/** Single byte ranges of a {@code Range} header (RFC 9110 14.2), as BUD-01 asks servers to support. */
final class Ranges {
    private Ranges() {}

    /**
     * The inclusive {@code [first, last]} of {@code header} over a blob of {@code size} bytes, or null to send the
     * whole blob (no header, another unit, several ranges, or a malformed one: RFC 9110 lets a server ignore
     * those). Throws a 416 {@link BlobException} for a well-formed range that lies outside the blob.
     */
    static long[] parse(String header, long size) {
        if (header == null) return null;
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6)) return null;
        String spec = h.substring(6).trim();
        if (spec.contains(",")) return null;
        int dash = spec.indexOf('-');
        if (dash < 0) return null;
        String a = spec.substring(0, dash).trim(), b = spec.substring(dash + 1).trim();
        try {
            if (a.isEmpty()) { // suffix: the last N bytes
                long n = Long.parseLong(b);
                if (n <= 0 || size == 0) throw unsatisfiable(size);
                return new long[] {Math.max(0, size - n), size - 1};
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? size - 1 : Long.parseLong(b);
            if (first < 0) return null;
            if (first >= size) throw unsatisfiable(size);
            if (last < first) return null;
            return new long[] {first, Math.min(last, size - 1)};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static BlobException unsatisfiable(long size) {
        return new BlobException(416, "the range lies outside the blob's " + size + " bytes");
    }
}
