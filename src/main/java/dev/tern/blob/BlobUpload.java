package dev.tern.blob;

import dev.tern.http.BytePipe;
import dev.tern.http.StreamingRoute;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * One {@code PUT /upload} (or {@code /media}) body: the event loop copies it into a bounded {@link BytePipe},
 * pausing the socket when the pipe is full; a transfer thread drains the pipe into {@link BlobIntake} and
 * answers once the blob is stored or refused. Stalled bodies are cut off by the relay's request deadlines,
 * as JSONL uploads are.
 */
final class BlobUpload implements StreamingRoute.BodyReceiver {
    /** The pipe's high-water mark; with its overflow margin, one upload's share of the upload buffers. */
    static final int PIPE_BYTES = 256 * 1024;
    /** Most bytes a pipe may hold ({@link BytePipe}'s hard limit for {@link #PIPE_BYTES}). */
    static final long PIPE_MAX_BYTES = PIPE_BYTES * 4L + 1024 * 1024;

    private final ChannelHandlerContext ctx;
    private final BlobResponses.Request req;
    private final BytePipe pipe;
    private final BlobIntake intake;
    private final BlobAuth.Token token;
    private final String declaredSha;
    private final String declaredType;
    private final String baseUrl;
    private final byte[] scratch = new byte[16 * 1024];

    BlobUpload(ChannelHandlerContext ctx, BlobResponses.Request req, BytePipe pipe, BlobIntake intake, BlobAuth.Token token,
               String declaredSha, String declaredType, String baseUrl) {
        this.ctx = ctx;
        this.req = req;
        this.pipe = pipe;
        this.intake = intake;
        this.token = token;
        this.declaredSha = declaredSha;
        this.declaredType = declaredType;
        this.baseUrl = baseUrl;
    }

    @Override
    public void content(ByteBuf chunk) throws IOException {
        while (chunk.isReadable()) {
            int n = Math.min(chunk.readableBytes(), scratch.length);
            chunk.readBytes(scratch, 0, n);
            if (!pipe.write(scratch, 0, n)) ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void end() {
        pipe.end();
    }

    @Override
    public void abort(Throwable cause) {
        String why = cause instanceof TimeoutException ? "upload stalled: " + cause.getMessage() : cause.getMessage();
        pipe.fail(new IOException(why, cause));
    }

    /** The transfer thread's part. */
    void run() {
        try {
            BlobIntake.Received got = intake.receive(pipe, 400);
            BlobService.Stored s = intake.accept(got, declaredSha, declaredType, token, 409);
            byte[] json = Descriptors.one(baseUrl, new Descriptors.Descriptor(s.sha256(), s.meta(), s.uploaded()), true);
            // BUD-02: 201 for a blob new here, 200 when it was already stored
            BlobResponses.json(ctx, req, s.created() ? HttpResponseStatus.CREATED : HttpResponseStatus.OK, json);
        } catch (BlobException e) {
            BlobResponses.error(ctx, req, e);
        } catch (RuntimeException e) {
            BlobResponses.error(ctx, req, 500, "the upload failed: " + e, false);
        } finally {
            // drops the rest of the body as it arrives, so the client, answered early, can finish sending and read
            // the answer, and the connection can carry its next request
            pipe.close();
        }
    }
}
