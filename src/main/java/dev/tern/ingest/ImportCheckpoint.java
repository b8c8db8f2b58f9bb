package dev.tern.ingest;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an import stores with every committed batch: which file, how far (the decompressed byte offset
 * just after the last committed line, and that line's number), the counters so far, and whether the file
 * is done. Encoded as {@code name=value} lines so it stays readable and extensible.
 */
public record ImportCheckpoint(InputFingerprint input, long offset, boolean complete, ImportCounts counts) {

    public long lines() {
        return counts.get(ImportCounts.Counter.LINES_READ);
    }

    public byte[] encode() {
        StringBuilder sb = new StringBuilder(512);
        sb.append("path=").append(input.path().replace("\n", "\\n")).append('\n');
        sb.append("size=").append(input.size()).append('\n');
        sb.append("head_sha256=").append(input.headSha256()).append('\n');
        sb.append("offset=").append(offset).append('\n');
        sb.append("complete=").append(complete).append('\n');
        for (Map.Entry<String, Long> e : counts.toMap().entrySet()) sb.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static ImportCheckpoint decode(byte[] value) {
        Map<String, String> f = new LinkedHashMap<>();
        for (String line : new String(value, StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) f.put(line.substring(0, eq), line.substring(eq + 1));
        }
        Map<String, Long> counters = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : f.entrySet()) {
            if (e.getKey().equals(e.getKey().toUpperCase())) counters.put(e.getKey(), Long.parseLong(e.getValue()));
        }
        InputFingerprint in = new InputFingerprint(f.get("path").replace("\\n", "\n"), Long.parseLong(f.get("size")), f.get("head_sha256"));
        return new ImportCheckpoint(in, Long.parseLong(f.get("offset")), Boolean.parseBoolean(f.get("complete")),
                ImportCounts.fromMap(counters));
    }
}
