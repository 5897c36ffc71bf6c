package dev.mlops.core.audit;

import dev.mlops.core.InvalidFormatException;
import dev.mlops.core.Names;
import dev.mlops.core.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A log's size and Merkle root at one moment, optionally signed with Ed25519. Kept outside the log
 * (printed, mailed, stored elsewhere), it lets anyone prove later, with hashes alone, that a record was
 * in the log ({@link AuditLog#inclusionProof}) and that the log only grew since
 * ({@link AuditLog#consistencyProof}); the signature proves who vouched for it, checked with the public
 * key alone ({@link #verify(PublicKey)}).
 *
 * <h2>Checkpoint text</h2>
 * The signed bytes are the UTF-8 {@linkplain #body() body}, the C2SP {@code checkpoint} note body
 * (as transparency-dev logs and Go's {@code sumdb} write it) with one extension line for the time:
 * <pre>
 * &lt;origin&gt;\n                         e.g. example.com/fraud-team/audit
 * &lt;size, decimal&gt;\n                  e.g. 1042
 * &lt;root, 32 bytes, standard base64&gt;\n
 * time &lt;at, ISO-8601 UTC&gt;\n           e.g. time 2026-11-27T10:15:30.123456789Z (Instant.toString)
 * </pre>
 * The signature is Ed25519 (RFC 8032, the JDK's {@code Signature.getInstance("Ed25519")}) over exactly
 * those bytes, 64 bytes, carried in standard base64.
 *
 * <pre>{@code
 * Checkpoint c = log.checkpoint();
 * System.out.print(c.body());                 // publish it, with c.signature()
 * boolean genuine = c.verify(publicKey);
 * }</pre>
 *
 * @param origin the log's name: 1 to 200 printable ASCII characters, no space and no {@code +}
 *        (the C2SP rule), such as {@code example.com/fraud-team/audit}
 * @param size how many records the log held
 * @param root the Merkle root of those records ({@link MerkleTree#emptyRoot()} when none)
 * @param at when the checkpoint was taken
 * @param signature the Ed25519 signature of {@link #body()}, standard base64; empty when unsigned
 */
public record Checkpoint(String origin, long size, Sha256 root, Instant at, Optional<String> signature) {
    private static final Pattern ORIGIN = Pattern.compile("[!-*,-~]{1,200}");
    private static final String ALGORITHM = "Ed25519";

    /**
     * Validates the parts; does not check the signature (that is {@link #verify(PublicKey)}'s job).
     *
     * @param origin the log's name: 1 to 200 printable ASCII characters, no space and no {@code +} (the C2SP rule),
     *     such as {@code example.com/fraud-team/audit}
     * @param size how many records the log held
     * @param root the Merkle root of those records ({@link MerkleTree#emptyRoot()} when none)
     * @param at when the checkpoint was taken
     * @param signature the Ed25519 signature of {@link #body()}, standard base64; empty when unsigned
     */
    public Checkpoint {
        Objects.requireNonNull(origin, "origin");
        if (!ORIGIN.matcher(origin).matches()) {
            throw new IllegalArgumentException("origin must be 1 to 200 printable ASCII characters without space or '+', was "
                    + Names.quote(origin));
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, was " + size);
        }
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(signature, "signature").ifPresent(s -> {
            byte[] b;
            try {
                b = Base64.getDecoder().decode(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("signature must be standard base64: " + Names.quote(s), e);
            }
            if (b.length != 64 || !Base64.getEncoder().encodeToString(b).equals(s)) {
                throw new IllegalArgumentException("signature must be 64 bytes in canonical standard base64, was " + Names.quote(s));
            }
        });
    }

    /**
     * @param origin the log's name
     * @param size its size
     * @param root its root
     * @param at now
     * @return an unsigned checkpoint
     */
    public static Checkpoint unsigned(String origin, long size, Sha256 root, Instant at) {
        return new Checkpoint(origin, size, root, at, Optional.empty());
    }

    /**
     * @param origin the log's name
     * @param size its size
     * @param root its root
     * @param at now
     * @param key an Ed25519 private key
     * @return the checkpoint, signed
     * @throws IllegalArgumentException when the key is not an Ed25519 private key
     */
    public static Checkpoint signed(String origin, long size, Sha256 root, Instant at, PrivateKey key) {
        Checkpoint c = unsigned(origin, size, root, at);
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(Objects.requireNonNull(key, "key"));
            s.update(c.bodyBytes());
            return new Checkpoint(origin, size, root, at, Optional.of(Base64.getEncoder().encodeToString(s.sign())));
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("key must be an Ed25519 private key, was " + key.getAlgorithm(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java 15+ platform provides Ed25519", e);
        }
    }

    /**
     * Checks that an Ed25519 private key can sign checkpoints, before a log starts relying on it.
     *
     * @param key the key
     * @throws IllegalArgumentException when it is not an Ed25519 private key
     */
    static void checkSigningKey(PrivateKey key) {
        signed("check", 0, MerkleTree.emptyRoot(), Instant.EPOCH, key);
    }

    /** @return the checkpoint text that the signature covers, four lines each ending in {@code \n} */
    public String body() {
        return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root.bytes()) + "\n" + "time " + at + "\n";
    }

    private byte[] bodyBytes() {
        return body().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param key an Ed25519 public key
     * @return true exactly when the checkpoint is signed and the signature of {@link #body()} verifies with
     *         {@code key}
     * @throws IllegalArgumentException when the key is not an Ed25519 public key
     */
    public boolean verify(PublicKey key) {
        Objects.requireNonNull(key, "key");
        if (signature.isEmpty()) {
            return false;
        }
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            s.update(bodyBytes());
            return s.verify(Base64.getDecoder().decode(signature.get()));
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("key must be an Ed25519 public key, was " + key.getAlgorithm(), e);
        } catch (SignatureException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java 15+ platform provides Ed25519", e);
        }
    }

    /**
     * Reads a checkpoint back from its {@linkplain #body() text}, strictly: {@code parse(c.body(),
     * c.signature())} equals {@code c}, and any other text is refused.
     *
     * @param body the four lines
     * @param signature the signature as published, or empty
     * @return the checkpoint
     * @throws InvalidFormatException when the text is not a body this class writes
     */
    public static Checkpoint parse(String body, Optional<String> signature) {
        Objects.requireNonNull(body, "body");
        String[] lines = body.split("\n", -1);
        if (lines.length != 5 || !lines[4].isEmpty()) {
            throw new InvalidFormatException("checkpoint", "", -1, "expected four lines each ending in a line feed");
        }
        try {
            long size = Long.parseLong(lines[1]);
            byte[] root = Base64.getDecoder().decode(lines[2]);
            if (!lines[3].startsWith("time ")) {
                throw new IllegalArgumentException("the fourth line must start with 'time '");
            }
            Checkpoint c = new Checkpoint(lines[0], size, Sha256.ofDigest(root), Instant.parse(lines[3].substring(5)), signature);
            if (!c.body().equals(body)) {
                throw new IllegalArgumentException("not in canonical form (leading zeros, base64 padding or time format)");
            }
            return c;
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new InvalidFormatException("checkpoint", "", -1, Objects.toString(e.getMessage(), e.toString()));
        }
    }
}
