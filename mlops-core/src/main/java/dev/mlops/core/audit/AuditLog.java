package dev.mlops.core.audit;

import dev.mlops.core.Sha256;
import java.util.ArrayList;
import java.util.List;

/**
 * An append-only, tamper-evident record of who did what to which model: an RFC 6962 Merkle tree
 * ({@link MerkleTree}) whose leaves are the records' canonical bytes ({@link AuditRecord}). Any change to
 * any stored byte changes the root, and {@link #verify()} names the first record affected. A
 * {@link Checkpoint} (size, root, time, optional Ed25519 signature) kept elsewhere lets anyone check with
 * hashes alone that a record is in the log ({@link #inclusionProof}) and that the log only grew
 * ({@link #consistencyProof}).
 *
 * <pre>{@code
 * AuditLog log = AuditLog.inMemory();
 * AuditRecord r = log.append(AuditEvent.of("alice", "model.delete", "fraud-scorer:3"));
 * Checkpoint c = log.checkpoint();
 * boolean in = MerkleTree.verifyInclusion(r.leafHash(), r.index(), c.size(),
 *         log.inclusionProof(r.index(), c.size()), c.root());
 * AuditVerification v = log.verify();
 * if (!v.ok()) alarm("audit log tampered at record " + v.firstBad().getAsLong() + ": " + v.problem());
 * }</pre>
 *
 * <p>Records are numbered densely from 0 in the order appends take effect; a record's time is never
 * earlier than the one before it (a log clamps a clock that steps back), so a time range is an index
 * range. Implementations are thread-safe; {@link #append} is durable when it returns for durable logs.
 * After {@link #close()} every method throws {@link IllegalStateException}. The kit
 * {@code dev.mlops.tck.AuditLogContract} states the contract as tests.
 */
public interface AuditLog extends AutoCloseable {
    /**
     * @return a new, empty in-memory log on the system clock, unsigned
     * @see InMemoryAuditLog#builder()
     */
    static AuditLog inMemory() {
        return InMemoryAuditLog.builder().build();
    }

    /**
     * Appends an event, stamped with the next index and the log's clock. A refused append (closed log,
     * failing clock, failing storage) changes nothing.
     *
     * @param event what happened
     * @return the stored record
     */
    AuditRecord append(AuditEvent event);

    /** @return how many records the log holds */
    long size();

    /**
     * @param fromIndex the first index to return, {@code >= 0}
     * @param max at most this many records, {@code >= 1}
     * @return records in index order; empty from {@link #size()} on
     */
    List<AuditRecord> read(long fromIndex, int max);

    /**
     * @param size a size the log has had, {@code 0 <= size <= size()}
     * @return the Merkle root of the first {@code size} records
     */
    Sha256 root(long size);

    /**
     * RFC 6962's PATH: the hashes that lead from record {@code index}'s leaf to {@link #root(long) root(size)},
     * for {@link MerkleTree#verifyInclusion}.
     *
     * @param index a record, below {@code size}
     * @param size a size the log has had, at most {@link #size()}
     * @return the inclusion proof, bottom up
     */
    List<Sha256> inclusionProof(long index, long size);

    /**
     * RFC 6962's PROOF: the hashes that show the tree of {@code oldSize} records is a prefix of the tree of
     * {@code newSize}, for {@link MerkleTree#verifyConsistency}.
     *
     * @param oldSize the earlier size, {@code 1 <= oldSize <= newSize}
     * @param newSize the later size, at most {@link #size()}
     * @return the consistency proof, empty when the sizes are equal
     */
    List<Sha256> consistencyProof(long oldSize, long newSize);

    /**
     * @return the log's size and root now, taken together, with the clock's time; signed when the log has
     *         a signer
     */
    Checkpoint checkpoint();

    /**
     * Re-reads every stored record and recomputes its leaf hash, the tree above it and the root, and
     * checks the indexes are dense and the times never decrease.
     *
     * @return ok, or the first bad index and why
     */
    AuditVerification verify();

    /**
     * @param query the criteria
     * @return matching records in index order, at most {@code query.limit()}
     */
    default List<AuditRecord> query(AuditQuery query) {
        List<AuditRecord> out = new ArrayList<>();
        long from = query.fromIndex();
        while (out.size() < query.limit()) {
            List<AuditRecord> batch = read(from, 1000);
            if (batch.isEmpty()) {
                break;
            }
            for (AuditRecord r : batch) {
                if (query.matches(r) && out.size() < query.limit()) {
                    out.add(r);
                }
            }
            from = batch.get(batch.size() - 1).index() + 1;
        }
        return out;
    }

    /**
     * @param index a record, below {@link #size()}
     * @return that record
     * @throws IllegalArgumentException when there is no such record
     */
    default AuditRecord get(long index) {
        List<AuditRecord> one = index < 0 ? List.of() : read(index, 1);
        if (one.isEmpty()) {
            throw new IllegalArgumentException("index must be in [0, " + size() + "), was " + index);
        }
        return one.get(0);
    }

    /** Releases the log; later calls throw {@link IllegalStateException}. Idempotent. */
    @Override
    void close();
}
