package dev.tern.ingest;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** gzip and zstd streams: inputs are recognised by their magic bytes, outputs by their file name. */
public final class Compression {
    private static final int BUFFER = 1 << 16;

    private Compression() {}

    /** {@code in}, decompressed on the fly if it starts with a gzip or zstd frame header. */
    public static InputStream decompressing(InputStream in) throws IOException {
        BufferedInputStream b = new BufferedInputStream(in, BUFFER);
        b.mark(4);
        byte[] magic = b.readNBytes(4);
        b.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return new GZIPInputStream(b, BUFFER);
        }
        if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
                && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
            return new ZstdInputStream(b).setContinuous(false);
        }
        return b;
    }

    /** {@code out}, compressed if {@code name} ends in .gz or .zst. */
    public static OutputStream compressing(OutputStream out, String name) throws IOException {
        if (name.endsWith(".gz")) return new GZIPOutputStream(out, BUFFER);
        if (name.endsWith(".zst")) return new ZstdOutputStream(out, 3);
        return out;
    }
}
