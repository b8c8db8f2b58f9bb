package dev.tern.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * Feeds one upload's body into its import's {@link BytePipe}: the raw body, or only the {@code file}
 * field of a multipart form. When the pipe is full the connection stops reading (TCP pushes back on
 * the client) until the import has drained it.
 */
final class ImportUpload implements StreamingRoute.BodyReceiver, MultipartParser.Listener {
    static final String FILE_FIELD = "file";

    private final Channel channel;
    private final HttpImport imp;
    private final MultipartParser multipart;
    private final byte[] scratch = new byte[16 * 1024];
    private boolean inFile;
    private boolean sawFile;

    /** @param boundary the multipart boundary, or null for a raw JSONL body */
    ImportUpload(Channel channel, HttpImport imp, String boundary) {
        this.channel = channel;
        this.imp = imp;
        this.multipart = boundary == null ? null : new MultipartParser(boundary, this);
    }

    @Override
    public void content(ByteBuf chunk) throws IOException {
        while (chunk.isReadable()) {
            int n = Math.min(chunk.readableBytes(), scratch.length);
            chunk.readBytes(scratch, 0, n);
            if (multipart != null) multipart.feed(scratch, 0, n);
            else write(scratch, 0, n);
        }
    }

    @Override
    public void end() throws IOException {
        if (multipart != null) {
            multipart.finish();
            if (!sawFile) throw new IOException("the form has no '" + FILE_FIELD + "' field");
        }
        imp.pipe.end();
        imp.uploadEnded();
    }

    @Override
    public void abort(Throwable cause) {
        String why = (cause instanceof TimeoutException ? "upload stalled: " : "upload failed: ") + cause.getMessage();
        imp.uploadFailed(why);
        imp.pipe.fail(new IOException(why, cause));
    }

    @Override
    public void partStart(MultipartParser.Part part) {
        inFile = FILE_FIELD.equals(part.name()) && !sawFile;
        if (inFile) {
            sawFile = true;
            if (part.filename() != null && !part.filename().isBlank()) imp.named(part.filename());
        }
    }

    @Override
    public void partData(byte[] b, int off, int len) throws IOException {
        if (inFile) write(b, off, len);
    }

    @Override
    public void partEnd() {
        inFile = false;
    }

    private void write(byte[] b, int off, int len) throws IOException {
        if (!imp.pipe.write(b, off, len)) channel.config().setAutoRead(false);
    }
}
