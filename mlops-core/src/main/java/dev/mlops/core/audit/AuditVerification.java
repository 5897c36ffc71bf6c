package dev.mlops.core.audit;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * The outcome of {@link AuditLog#verify()}.
 *
 * @param checked how many records were checked
 * @param firstBad the index of the first record that does not verify, empty when all do
 * @param problem what is wrong with it, empty when all verify
 */
public record AuditVerification(long checked, OptionalLong firstBad, String problem) {
    /**
     * Validates the parts.
     *
     * @param checked how many records were checked
     * @param firstBad the index of the first record that does not verify, empty when all do
     * @param problem what is wrong with it, empty when all verify
     */
    public AuditVerification {
        Objects.requireNonNull(firstBad, "firstBad");
        Objects.requireNonNull(problem, "problem");
        if (firstBad.isPresent() == problem.isEmpty()) {
            throw new IllegalArgumentException("a problem is described exactly when a record is bad");
        }
    }

    /**
     * @param checked records checked
     * @return a passing verification
     */
    public static AuditVerification ok(long checked) {
        return new AuditVerification(checked, OptionalLong.empty(), "");
    }

    /**
     * @param index the first bad record
     * @param problem what is wrong
     * @return a failing verification
     */
    public static AuditVerification failed(long index, String problem) {
        return new AuditVerification(index, OptionalLong.of(index), problem);
    }

    /** @return whether every record verified */
    public boolean ok() {
        return firstBad.isEmpty();
    }
}
