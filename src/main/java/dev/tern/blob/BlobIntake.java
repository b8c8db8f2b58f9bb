package dev.tern.blob;

import dev.tern.event.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * Brings a blob's bytes in, from an upload's body or a mirrored URL: written to a temp file while hashed, in
 * one buffer, so a blob of any size costs the same memory. Then checks the hash and the type and hands the
 * file to {@link BlobService#commit}, which moves it into place.
 */
final class BlobIntake {
    static final int BUFFER_BYTES = 64 * 1024;

    /** The bytes received: the temp file holding them, their hash and size, and the type their first bytes show. */
    record Received(Path temp, String sha256, long size, String sniffedType) {}

    private final BlobService service;

    BlobIntake(BlobService service) {
        this.service = service;
    }

    /**
     * Reads {@code in} to its end into a new temp file. A read failure is the sender's (400, or {@code readStatus});
     * a write failure the disk's (507). Nothing is left behind on failure.
     */
    Received receive(InputStream in, int readStatus) {
        Path temp;
        try {
            temp = service.files.newTemp();
        } catch (IOException e) {
            throw diskError(e);
        }
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            MessageDigest sha = sha256();
            byte[] buf = new byte[BUFFER_BYTES];
            byte[] head = new byte[MediaTypes.SNIFF_BYTES];
            int headLen = 0;
            long total = 0;
            long max = service.settings.maxBlobBytes();
            while (true) {
                int n;
                try {
                    // a whole buffer per hash update and write: a pipe hands over one 8 KiB socket read at a time
                    n = in.readNBytes(buf, 0, buf.length);
                } catch (IOException e) {
                    throw new BlobException(readStatus, "the blob did not arrive whole: " + e.getMessage(), e);
                }
                if (n == 0) break;
                total += n;
                if (total > max) throw new BlobException(413, "the blob is larger than " + max + " bytes, the most accepted here");
                if (headLen < head.length) {
                    int k = Math.min(n, head.length - headLen);
                    System.arraycopy(buf, 0, head, headLen, k);
                    headLen += k;
                }
                sha.update(buf, 0, n);
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                while (bb.hasRemaining()) out.write(bb);
            }
            out.force(false); // durable before it is renamed into place and its metadata committed
            return new Received(temp, Hex.encode(sha.digest()), total, MediaTypes.sniff(head, headLen));
        } catch (IOException e) {
            BlobService.deleteQuietly(temp);
            throw diskError(e);
        } catch (RuntimeException e) {
            BlobService.deleteQuietly(temp);
            throw e;
        }
    }

    /**
     * Checks what arrived against what was promised and stores it for {@code owner}: the hash the client
     * announced (409 on a mismatch), the token's x tags (BUD-11), the type. Deletes the temp file on refusal.
     *
     * @param declaredSha  X-SHA-256 or null
     * @param declaredType the sender's Content-Type or null
     * @param mismatch     status when the hash differs from {@code declaredSha} (409 for upload, 409 for mirror too)
     */
    BlobService.Stored accept(Received got, String declaredSha, String declaredType, BlobAuth.Token token, int mismatch) {
        try {
            if (declaredSha != null && !declaredSha.equals(got.sha256())) {
                throw new BlobException(mismatch, "the blob's sha256 is " + got.sha256() + ", not " + declaredSha);
            }
            BlobAuth.requireBlob(token, got.sha256());
            String type = typeOf(declaredType, got.sniffedType());
            if (!service.settings.allowsType(type)) throw unsupported(type);
            return service.commit(got.temp(), got.sha256(), got.size(), type, token.pubkey()).join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof BlobException b ? b : new BlobException(500, "cannot store the blob: " + e.getCause());
        } finally {
            BlobService.deleteQuietly(got.temp()); // moved into place by then, or refused
        }
    }

    /** The sender's type when it names one, else what the bytes show, else BUD-01's default. */
    static String typeOf(String declared, String sniffed) {
        String t = MediaTypes.clean(declared);
        if (t != null && !t.equals(MediaTypes.UNKNOWN)) return t;
        return sniffed != null ? sniffed : MediaTypes.UNKNOWN;
    }

    static BlobException unsupported(String type) {
        return new BlobException(415, "blobs of type " + type + " are not accepted here");
    }

    private static BlobException diskError(IOException e) {
        String msg = String.valueOf(e.getMessage());
        if (msg.toLowerCase(Locale.ROOT).contains("no space left")) {
            return new BlobException(507, "the server's disk is full", e);
        }
        return new BlobException(507, "cannot write the blob: " + msg, e);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }
}
