package dev.mlops.registry.fs;

import dev.mlops.core.IntegrityException;
import dev.mlops.core.security.KeyProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.NoSuchElementException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * An encrypted artifact file, {@code objects/sha256/ab/<64 hex>.enc}: AES-256-GCM in chunks, so that an
 * artifact of any size is streamed both ways and every chunk is authenticated before any of its bytes
 * is released.
 *
 * <pre>
 * header  "mlopsenc" (8 bytes) | format version 1 (1 byte) | plaintext chunk size (4 bytes, big-endian)
 *         | key id length (1 byte) | key id (ASCII, [A-Za-z0-9._-]{1,64})
 * chunks  nonce (12 random bytes) | ciphertext of chunk-size bytes (fewer in the last chunk, possibly 0) | tag (16 bytes)
 * AAD     the header | chunk index (8 bytes, big-endian) | 1 for the last chunk, else 0 (1 byte)
 * </pre>
 *
 * The associated data binds every chunk to the header (so to its key id), to its place and to whether
 * it ends the file: reordering, dropping, duplicating or truncating chunks, or flipping any byte of the
 * file, makes a tag check fail. The content address stays the SHA-256 of the plaintext, checked after
 * decryption as for any artifact, so swapping in another whole encrypted artifact is caught too. A fresh
 * random nonce per chunk keeps each key within NIST SP 800-38D's 2^32 random nonces (256 TiB at 64 KiB a
 * chunk); rotate keys well before that.
 */
final class ChunkedGcm {
    static final int CHUNK = 64 * 1024;
    private static final byte[] MAGIC = "mlopsenc".getBytes(StandardCharsets.US_ASCII);
    private static final int FORMAT = 1;
    private static final int NONCE = 12;
    private static final int TAG = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ChunkedGcm() {
    }

    private static byte[] header(String keyId, int chunkSize) {
        byte[] id = keyId.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(MAGIC.length + 1 + 4 + 1 + id.length).put(MAGIC).put((byte) FORMAT).putInt(chunkSize)
                .put((byte) id.length).put(id).array();
    }

    private static byte[] aad(byte[] header, long index, boolean last) {
        return ByteBuffer.allocate(header.length + 9).put(header).putLong(index).put((byte) (last ? 1 : 0)).array();
    }

    /**
     * @param out where the encrypted file goes; closed when the returned stream is closed
     * @param keys the current key encrypts
     * @return a stream that encrypts what is written to it; closing it writes the last chunk
     */
    static OutputStream encrypt(OutputStream out, KeyProvider keys) throws IOException {
        String keyId = KeyProvider.checkKeyId(keys.currentKeyId());
        SecretKey key = KeyProvider.checkAes256(keys.key(keyId));
        byte[] header = header(keyId, CHUNK);
        out.write(header);
        return new OutputStream() {
            private final byte[] chunk = new byte[CHUNK];
            private final byte[] sealed = new byte[CHUNK + TAG];
            private final Cipher cipher = cipher();
            private final byte[] nonce = new byte[NONCE];
            private int filled;
            private long index;
            private boolean closed;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                while (len > 0) {
                    if (filled == CHUNK) {
                        seal(false); // a full chunk is written only once more bytes show it is not the last
                    }
                    int n = Math.min(len, CHUNK - filled);
                    System.arraycopy(b, off, chunk, filled, n);
                    filled += n;
                    off += n;
                    len -= n;
                }
            }

            private void seal(boolean last) throws IOException {
                RANDOM.nextBytes(nonce);
                try {
                    cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce));
                    cipher.updateAAD(aad(header, index, last));
                    int n = cipher.doFinal(chunk, 0, filled, sealed, 0);
                    out.write(nonce);
                    out.write(sealed, 0, n);
                } catch (GeneralSecurityException e) {
                    throw new IOException("encrypting chunk " + index + " with key " + keyId + " failed: "
                            + e.getClass().getSimpleName(), e);
                }
                index++;
                filled = 0;
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }

            @Override
            public void close() throws IOException {
                if (!closed) {
                    closed = true;
                    try {
                        seal(true);
                        Arrays.fill(chunk, (byte) 0);
                    } finally {
                        out.close();
                    }
                }
            }
        };
    }

    /**
     * @param in the encrypted file; closed when the returned stream is closed
     * @param keys the provider of the key the file names
     * @param what the artifact, for errors
     * @return the plaintext, each chunk released only after its tag checks
     * @throws IntegrityException when the header is not one this library writes, or names a key the
     *     provider does not have
     */
    static InputStream decrypt(InputStream in, KeyProvider keys, String what) throws IOException {
        byte[] fixed = in.readNBytes(MAGIC.length + 1 + 4 + 1);
        if (fixed.length < MAGIC.length + 6 || !Arrays.equals(fixed, 0, MAGIC.length, MAGIC, 0, MAGIC.length)
                || fixed[MAGIC.length] != FORMAT) {
            throw new IntegrityException(what + ": not an encrypted artifact of format " + FORMAT
                    + " (the header is damaged)");
        }
        int chunkSize = ByteBuffer.wrap(fixed, MAGIC.length + 1, 4).getInt();
        int idLength = fixed[fixed.length - 1] & 0xff;
        byte[] id = in.readNBytes(idLength);
        String keyId = new String(id, StandardCharsets.US_ASCII);
        if (chunkSize < 1 || chunkSize > (16 << 20) || id.length != idLength || !KeyProvider.KEY_ID.matcher(keyId).matches()) {
            throw new IntegrityException(what + ": the encrypted artifact's header is damaged");
        }
        SecretKey key;
        try {
            key = keys.key(keyId);
        } catch (NoSuchElementException e) {
            throw new IntegrityException(what + " is encrypted with key " + keyId + ", which the store's key"
                    + " provider does not have");
        }
        byte[] header = ByteBuffer.allocate(fixed.length + id.length).put(fixed).put(id).array();
        int record = NONCE + chunkSize + TAG;
        return new InputStream() {
            private final Cipher cipher = cipher();
            private final byte[] plain = new byte[chunkSize];
            private int limit;
            private int pos;
            private long index;
            private boolean done;
            /** Two record buffers: the chunk being opened, and the one after it (to tell whether it is the last). */
            private byte[] current = new byte[record];
            private byte[] next = new byte[record];
            private int nextLength = in.readNBytes(next, 0, record);

            private boolean fill() throws IOException {
                while (pos == limit) {
                    if (done) {
                        return false;
                    }
                    byte[] swap = current;
                    current = next;
                    next = swap;
                    int length = nextLength;
                    boolean last = length < record;
                    if (!last) {
                        nextLength = in.readNBytes(next, 0, record);
                        last = nextLength == 0;
                    }
                    if (length < NONCE + TAG) {
                        throw new IntegrityException(what + ": the encrypted artifact ends inside chunk " + index
                                + " (truncated)");
                    }
                    try {
                        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG * 8, current, 0, NONCE));
                        cipher.updateAAD(aad(header, index, last));
                        limit = cipher.doFinal(current, NONCE, length - NONCE, plain, 0);
                    } catch (AEADBadTagException e) {
                        throw new IntegrityException(what + ": chunk " + index + " of the encrypted artifact fails"
                                + " its authentication tag (damaged, reordered, truncated or of another key)");
                    } catch (GeneralSecurityException e) {
                        throw new IOException("decrypting chunk " + index + " of " + what + " failed: "
                                + e.getClass().getSimpleName(), e);
                    }
                    pos = 0;
                    index++;
                    done = last;
                }
                return true;
            }

            @Override
            public int read() throws IOException {
                return fill() ? plain[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (!fill()) {
                    return -1;
                }
                int n = Math.min(len, limit - pos);
                System.arraycopy(plain, pos, b, off, n);
                pos += n;
                return n;
            }

            @Override
            public void close() throws IOException {
                Arrays.fill(plain, (byte) 0);
                in.close();
            }
        };
    }

    private static Cipher cipher() throws IOException {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IOException("this JDK has no AES/GCM/NoPadding", e);
        }
    }
}
