package dev.mlops.core.audit;

import dev.mlops.core.InvalidFormatException;
import dev.mlops.core.Sha256;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An appended {@link AuditEvent}: its position and the time the log accepted it. Its
 * {@linkplain #canonicalBytes() canonical bytes} are a leaf of the log's RFC 6962 Merkle tree
 * ({@link MerkleTree}): the tree's root covers every byte of every record, so a record cannot change
 * without changing every later root, and an {@linkplain AuditLog#inclusionProof inclusion proof} shows
 * one record is in the log without reading the others.
 *
 * <h2>Canonical bytes, format {@value #FORMAT}</h2>
 * A sequence of fields, each a 4-byte big-endian length {@code N} followed by {@code N} bytes:
 * <pre>
 *  #  field     bytes
 *  1  format    ASCII "mlops.audit.v2"
 *  2  index     8: the position, signed big-endian, &gt;= 0
 *  3  time      12: epoch second (8, signed big-endian), then nanosecond of the second
 *               (4, big-endian, 0 to 999999999)
 *  4  actor     UTF-8
 *  5  action    UTF-8
 *  6  target    UTF-8 (may be empty: length 0)
 *  7  outcome   ASCII "ALLOWED", "DENIED" or "FAILED"
 *  8  count     4: the number of details D, big-endian, 0 to 64
 *  then D pairs of fields, key (UTF-8) then value (UTF-8), keys strictly ascending as unsigned bytes
 * </pre>
 * Nothing follows the last field. Every field is length-prefixed, so moving a boundary between two
 * strings changes the bytes; text is well-formed Unicode ({@link AuditEvent}), so its UTF-8 is exact and
 * the encoding is one-to-one. A record's leaf hash is {@code SHA-256(0x00 || canonical bytes)}
 * ({@link MerkleTree#leafHash(byte[])}). {@link #fromCanonicalBytes(byte[])} reads the form back and
 * refuses anything it would not write.
 *
 * <p>Why no hash chain (format v1 linked each record to the previous record's hash): the Merkle root
 * already changes when any byte of any record changes, so a chain would only be a second definition
 * that must agree with the first; unlike a chain, the tree proves one record's presence and the
 * log's append-only growth in O(log n) hashes.
 *
 * @param index position in the log, from 0
 * @param at when the log accepted it; never earlier than the record before
 * @param event what happened
 */
public record AuditRecord(long index, Instant at, AuditEvent event) {
    /** The format tag that opens the canonical bytes. */
    public static final String FORMAT = "mlops.audit.v2";

    private static final byte[] FORMAT_BYTES = FORMAT.getBytes(StandardCharsets.US_ASCII);
    private static final String DOCUMENT = "audit record (" + FORMAT + ")";

    /**
     * Validates the parts.
     *
     * @param index position in the log, from 0
     * @param at when the log accepted it; never earlier than the record before
     * @param event what happened
     */
    public AuditRecord {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, was " + index);
        }
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(event, "event");
    }

    /** @return this record's canonical bytes, the leaf of the log's Merkle tree */
    public byte[] canonicalBytes() {
        Writer w = new Writer();
        w.field(FORMAT_BYTES);
        w.field(ByteBuffer.allocate(8).putLong(index).array());
        w.field(ByteBuffer.allocate(12).putLong(at.getEpochSecond()).putInt(at.getNano()).array());
        w.field(utf8(event.actor()));
        w.field(utf8(event.action()));
        w.field(utf8(event.target()));
        w.field(event.outcome().name().getBytes(StandardCharsets.US_ASCII));
        w.field(ByteBuffer.allocate(4).putInt(event.details().size()).array());
        for (Map.Entry<String, String> d : event.details().entrySet()) {
            w.field(utf8(d.getKey()));
            w.field(utf8(d.getValue()));
        }
        return w.out.toByteArray();
    }

    /** @return {@code MerkleTree.leafHash(canonicalBytes())} */
    public Sha256 leafHash() {
        return MerkleTree.leafHash(canonicalBytes());
    }

    /**
     * Reads canonical bytes back, strictly: exactly the bytes {@link #canonicalBytes()} writes for some
     * record are accepted, so {@code fromCanonicalBytes(b).canonicalBytes()} equals {@code b}.
     *
     * @param bytes canonical bytes
     * @return the record they encode
     * @throws InvalidFormatException naming the byte offset and what was expected
     */
    public static AuditRecord fromCanonicalBytes(byte[] bytes) {
        Reader r = new Reader(Objects.requireNonNull(bytes, "bytes"));
        if (!Arrays.equals(r.field("format", 0, 64), FORMAT_BYTES)) {
            throw r.error("expected the format tag " + FORMAT);
        }
        long index = ByteBuffer.wrap(r.field("index", 8, 8)).getLong();
        ByteBuffer time = ByteBuffer.wrap(r.field("time", 12, 12));
        long second = time.getLong();
        int nano = time.getInt();
        String actor = r.text("actor", 800);
        String action = r.text("action", 400);
        String target = r.text("target", 2000);
        String outcomeName = r.text("outcome", 16);
        int count = ByteBuffer.wrap(r.field("detail count", 4, 4)).getInt();
        if (count < 0 || count > AuditEvent.MAX_DETAILS) {
            throw r.error("detail count must be 0 to " + AuditEvent.MAX_DETAILS + ", was " + count);
        }
        TreeMap<String, String> details = new TreeMap<>();
        String previous = null;
        for (int i = 0; i < count; i++) {
            String key = r.text("detail key", 400);
            if (previous != null && AuditEvent.CODE_POINT_ORDER.compare(previous, key) >= 0) {
                throw r.error("detail keys must be strictly ascending, " + dev.mlops.core.Names.quote(key)
                        + " follows " + dev.mlops.core.Names.quote(previous));
            }
            details.put(key, r.text("detail value", 16_000));
            previous = key;
        }
        if (r.pos != bytes.length) {
            throw r.error((bytes.length - r.pos) + " bytes follow the last field");
        }
        if (nano < 0 || nano > 999_999_999) {
            throw new InvalidFormatException(DOCUMENT, "", -1, "nanosecond must be 0 to 999999999, was " + nano);
        }
        try {
            AuditEvent.Outcome outcome = switch (outcomeName) {
                case "ALLOWED" -> AuditEvent.Outcome.ALLOWED;
                case "DENIED" -> AuditEvent.Outcome.DENIED;
                case "FAILED" -> AuditEvent.Outcome.FAILED;
                default -> throw new IllegalArgumentException("unknown outcome " + dev.mlops.core.Names.quote(outcomeName));
            };
            return new AuditRecord(index, Instant.ofEpochSecond(second, nano), new AuditEvent(actor, action, target, outcome, details));
        } catch (IllegalArgumentException | DateTimeException e) {
            throw new InvalidFormatException(DOCUMENT, "", -1, e.getMessage());
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static final class Writer {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

        void field(byte[] b) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(b.length).array());
            out.writeBytes(b);
        }
    }

    private static final class Reader {
        final byte[] bytes;
        int pos;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        byte[] field(String what, int min, int max) {
            if (bytes.length - pos < 4) {
                throw error("expected the length of " + what + ", found the end");
            }
            int n = ByteBuffer.wrap(bytes, pos, 4).getInt();
            if (n < min || n > max) {
                throw error(what + " must be " + min + " to " + max + " bytes long, was " + Integer.toUnsignedString(n));
            }
            if (bytes.length - pos - 4 < n) {
                throw error(what + " is " + n + " bytes long, only " + (bytes.length - pos - 4) + " remain");
            }
            pos += 4;
            byte[] out = Arrays.copyOfRange(bytes, pos, pos + n);
            pos += n;
            return out;
        }

        String text(String what, int maxBytes) {
            int at = pos;
            byte[] b = field(what, 0, maxBytes);
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(b)).toString();
            } catch (CharacterCodingException e) {
                throw new InvalidFormatException(DOCUMENT, "", at, what + " is not well-formed UTF-8");
            }
        }

        InvalidFormatException error(String reason) {
            return new InvalidFormatException(DOCUMENT, "", pos, reason);
        }
    }
}
