package dev.tern.ingest;

import com.github.luben.zstd.ZstdIOException;
import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** gzip and zstd streams: inputs are recognised by their magic bytes, outputs by their file name. */
public final class Compression {
    private static final int BUFFER = 1 << 16;

    private Compression() {}

    /**
     * {@code in}, decompressed on the fly if it starts with a gzip or zstd frame header. A compressed stream that
     * ends early throws {@link TruncatedInputException} once everything before the cut has been read.
     */
    public static InputStream decompressing(InputStream in) throws IOException {
        BufferedInputStream b = new BufferedInputStream(in, BUFFER);
        b.mark(4);
        byte[] magic = b.readNBytes(4);
        b.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            try {
                return new CutOffSignal(new GZIPInputStream(b, BUFFER), "gzip");
            } catch (EOFException e) { // cut inside the header
                throw new TruncatedInputException("the gzip stream is cut off");
            }
        }
        if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
                && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
            return new CutOffSignal(new ZstdInputStream(b).setContinuous(false), "zstd");
        }
        return b;
    }

    /**
     * Tells a cut-off stream from other read errors: GZIPInputStream throws EOFException ("Unexpected end of ZLIB
     * input stream") when its input ends early, zstd-jni a ZstdIOException "Truncated source".
     */
    private static final class CutOffSignal extends FilterInputStream {
        private final String format;

        CutOffSignal(InputStream in, String format) {
            super(in);
            this.format = format;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw translated(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw translated(e);
            }
        }

        private IOException translated(IOException e) {
            boolean cut = e instanceof EOFException || e instanceof ZstdIOException && "Truncated source".equals(e.getMessage());
            return cut ? new TruncatedInputException("the " + format + " stream is cut off") : e;
        }
    }

    /** {@code out}, compressed if {@code name} ends in .gz or .zst. */
    public static OutputStream compressing(OutputStream out, String name) throws IOException {
        if (name.endsWith(".gz")) return new GZIPOutputStream(out, BUFFER);
        if (name.endsWith(".zst")) return new ZstdOutputStream(out, 3);
        return out;
    }
}
