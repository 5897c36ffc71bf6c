package dev.mlops.core.audit;

import dev.mlops.core.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * An appended {@link AuditEvent}: its position, its time, and its link in the hash chain.
 *
 * <p>The chain: {@code hash = SHA-256(canonical(index, at, event, previousHash))}, where the first
 * record's {@code previousHash} is {@link #GENESIS}. The canonical form is, in this order: the
 * ASCII bytes {@code mlops.audit.v1}, the index as 8 bytes big-endian, the epoch second (8 bytes) and
 * nanosecond (4 bytes), then actor, action, target, the number of details (4 bytes) and each detail
 * key and value in key order, every string as its UTF-8 length (4 bytes) followed by its bytes, and
 * last the 32 bytes of {@code previousHash}. Changing any of these changes the hash and breaks
 * every later link, which {@link AuditLog#verify()} reports.
 *
 * @param index position in the log, from 0
 * @param at when the log accepted it
 * @param event what happened
 * @param previousHash the hash of the record before, or {@link #GENESIS}
 * @param hash this record's hash, as the chain defines it
 */
public record AuditRecord(long index, Instant at, AuditEvent event, Sha256 previousHash, Sha256 hash) {
    /** The {@code previousHash} of the first record: 32 zero bytes. */
    public static final Sha256 GENESIS = new Sha256("0".repeat(64));

    /** Validates the parts; does not check the hash (that is {@link AuditLog#verify()}'s job). */
    public AuditRecord {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, was " + index);
        }
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(previousHash, "previousHash");
        Objects.requireNonNull(hash, "hash");
    }

    /**
     * @param index position
     * @param at time
     * @param event the event
     * @param previousHash the previous record's hash
     * @return the record, with its hash computed
     */
    public static AuditRecord link(long index, Instant at, AuditEvent event, Sha256 previousHash) {
        return new AuditRecord(index, at, event, previousHash, chainHash(index, at, event, previousHash));
    }

    /**
     * @return whether {@link #hash()} is what the chain definition gives for the other parts
     */
    public boolean hashMatches() {
        return chainHash(index, at, event, previousHash).constantTimeEquals(hash);
    }

    /**
     * @param index position
     * @param at time
     * @param event the event
     * @param previousHash the previous record's hash
     * @return the hash the chain definition gives
     */
    public static Sha256 chainHash(long index, Instant at, AuditEvent event, Sha256 previousHash) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write("mlops.audit.v1".getBytes(StandardCharsets.US_ASCII));
            out.writeLong(index);
            out.writeLong(at.getEpochSecond());
            out.writeInt(at.getNano());
            string(out, event.actor());
            string(out, event.action());
            string(out, event.target());
            out.writeInt(event.details().size());
            for (Map.Entry<String, String> d : event.details().entrySet()) {
                string(out, d.getKey());
                string(out, d.getValue());
            }
            out.write(previousHash.bytes());
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return Sha256.of(bytes.toByteArray());
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }
}
