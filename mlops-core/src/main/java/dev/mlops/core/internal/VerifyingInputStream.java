package dev.mlops.core.internal;

import dev.mlops.core.IntegrityException;
import dev.mlops.core.Sha256;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Passes bytes through while hashing and counting them, and throws {@link IntegrityException} as soon
 * as the stream holds more bytes than recorded, when the recorded number of bytes has been read and
 * their SHA-256 digest differs, or at end of stream when fewer bytes than recorded arrived. Not
 * thread-safe, like any stream.
 */
public final class VerifyingInputStream extends FilterInputStream {
    private final MessageDigest digest = Sha256.newDigest();
    private final Sha256 expected;
    private final long expectedSize;
    private final String what;
    private long count;
    private boolean verified;

    /**
     * @param in the stream to check; closed with this one
     * @param expected the digest recorded for it
     * @param expectedSize the size recorded for it
     * @param what names the data in error messages, e.g. {@code "fraud-scorer:7"}
     */
    public VerifyingInputStream(InputStream in, Sha256 expected, long expectedSize, String what) {
        super(in);
        this.expected = expected;
        this.expectedSize = expectedSize;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            verifyAtEnd();
        } else {
            digest.update((byte) b);
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = in.read(buf, off, len);
        if (n < 0) {
            verifyAtEnd();
        } else {
            digest.update(buf, off, n);
            counted(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // every byte must pass through the digest, so skipping reads
        byte[] buf = new byte[(int) Math.min(8192, Math.max(n, 1))];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
        // mark/reset would let bytes be hashed twice; not supported
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported by a verifying stream");
    }

    private void counted(int n) {
        count += n;
        if (count > expectedSize) {
            throw new IntegrityException(what + ": artifact is longer than the recorded " + expectedSize + " bytes");
        }
        if (count == expectedSize) {
            // a reader that stops at the recorded length (readFully, length-prefixed formats) never sees -1
            verifyAtEnd();
        }
    }

    private void verifyAtEnd() {
        if (verified) {
            return;
        }
        if (count != expectedSize) {
            throw new IntegrityException(what + ": artifact has " + count + " bytes, recorded " + expectedSize);
        }
        Sha256 actual = Sha256.ofDigest(digest.digest());
        if (!actual.constantTimeEquals(expected)) {
            throw new IntegrityException(what + ": artifact digest is " + actual + ", recorded " + expected);
        }
        verified = true;
    }
}
