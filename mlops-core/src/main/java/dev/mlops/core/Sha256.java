package dev.mlops.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A SHA-256 digest, held as 64 lower-case hex characters.
 *
 * @param hex the digest in lower-case hexadecimal
 */
public record Sha256(String hex) {

    /** Exactly 64 of {@code [0-9a-f]}: a loop, not a regular expression, as every hash made passes here. */
    private static boolean isLowerHex64(String s) {
        if (s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Validates the hex form.
     *
     * @param hex the digest in lower-case hexadecimal
     */
    public Sha256 {
        Objects.requireNonNull(hex, "hex");
        if (!isLowerHex64(hex)) {
            throw new IllegalArgumentException("SHA-256 digest must be 64 lower-case hex characters, was "
                    + Names.quote(hex));
        }
    }

    /**
     * @param hex 64 hex characters, any case
     * @return the digest
     */
    public static Sha256 parse(String hex) {
        Objects.requireNonNull(hex, "hex");
        return new Sha256(hex.toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * @param bytes a digest of 32 bytes
     * @return the digest
     */
    public static Sha256 ofDigest(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != 32) {
            throw new IllegalArgumentException("SHA-256 digest must be 32 bytes, was " + bytes.length);
        }
        return new Sha256(HexFormat.of().formatHex(bytes));
    }

    /**
     * @param data bytes to hash
     * @return their digest
     */
    public static Sha256 of(byte[] data) {
        Objects.requireNonNull(data, "data");
        MessageDigest md = newDigest();
        md.update(data);
        return ofDigest(md.digest());
    }

    /**
     * The digest of a file's bytes, streamed (the file is never held whole in memory).
     *
     * @param file a readable file
     * @return its SHA-256
     * @throws java.io.UncheckedIOException naming the file when it cannot be read
     */
    public static Sha256 of(java.nio.file.Path file) {
        java.security.MessageDigest md = newDigest();
        byte[] buffer = new byte[64 * 1024];
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                md.update(buffer, 0, n);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("reading " + file + " to hash it failed", e);
        }
        return ofDigest(md.digest());
    }

    /**
     * @param text a string, hashed as UTF-8
     * @return its digest
     */
    public static Sha256 ofUtf8(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @return a fresh SHA-256 {@link MessageDigest}
     */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    /**
     * @return the 32 digest bytes
     */
    public byte[] bytes() {
        return HexFormat.of().parseHex(hex);
    }

    /**
     * Compares in time independent of where the digests differ.
     *
     * @param other another digest
     * @return whether both are equal
     */
    public boolean constantTimeEquals(Sha256 other) {
        return MessageDigest.isEqual(bytes(), other.bytes());
    }

    @Override
    public String toString() {
        return "sha256:" + hex;
    }
}
