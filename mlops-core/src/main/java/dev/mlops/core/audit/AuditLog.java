package dev.mlops.core.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * An append-only, tamper-evident record of who did what to which model. Each record carries the hash of
 * the one before ({@link AuditRecord}), so changing, removing or reordering any stored byte breaks the
 * chain and {@link #verify()} names the first record affected.
 *
 * <pre>{@code
 * AuditRecord r = log.append(AuditEvent.of("alice", "model.delete", "fraud-scorer:3"));
 * AuditVerification v = log.verify();
 * if (!v.ok()) alarm("audit log tampered at record " + v.firstBad().getAsLong() + ": " + v.problem());
 * }</pre>
 *
 * <p>Implementations are thread-safe; {@link #append} is durable when it returns.
 */
public interface AuditLog extends AutoCloseable {
    /**
     * @param event what happened
     * @return the stored record, with its index, time and hash
     */
    AuditRecord append(AuditEvent event);

    /** @return how many records the log holds */
    long size();

    /**
     * @param fromIndex the first index to return
     * @param max at most this many records
     * @return records in index order
     */
    List<AuditRecord> read(long fromIndex, int max);

    /**
     * Re-reads every stored record and checks each hash and each link.
     *
     * @return ok, or the first bad index and why
     */
    AuditVerification verify();

    @Override
    void close();

    /**
     * @param filter which records to keep
     * @param max at most this many
     * @return matching records in index order
     */
    default List<AuditRecord> query(Predicate<AuditRecord> filter, int max) {
        List<AuditRecord> out = new ArrayList<>();
        long from = 0;
        while (out.size() < max) {
            List<AuditRecord> batch = read(from, 1000);
            if (batch.isEmpty()) {
                break;
            }
            for (AuditRecord r : batch) {
                if (filter.test(r) && out.size() < max) {
                    out.add(r);
                }
            }
            from = batch.get(batch.size() - 1).index() + 1;
        }
        return out;
    }

    /**
     * @param now the time to stamp
     * @return the log's size and head hash now
     */
    default Checkpoint checkpoint(Instant now) {
        long size = size();
        if (size == 0) {
            return new Checkpoint(0, AuditRecord.GENESIS, now);
        }
        return new Checkpoint(size, read(size - 1, 1).get(0).hash(), now);
    }
}
