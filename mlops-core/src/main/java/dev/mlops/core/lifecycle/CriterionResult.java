package dev.mlops.core.lifecycle;

import java.util.Objects;

/**
 * One criterion of a {@link GateReport}: what was checked, the value found, what it had to be, the verdict.
 *
 * @param criterion what was checked, one line, such as {@code auc@holdout-nov >= champion + 0.005}
 * @param value the value found, as text (empty when missing)
 * @param required what it had to be, as text
 * @param verdict pass, fail or missing evidence
 * @param detail why, one line
 */
public record CriterionResult(String criterion, String value, String required, Verdict verdict, String detail) {
    /**
     * Checks the parts.
     *
     * @param criterion what was checked, one line, such as {@code auc@holdout-nov >= champion + 0.005}
     * @param value the value found, as text (empty when missing)
     * @param required what it had to be, as text
     * @param verdict pass, fail or missing evidence
     * @param detail why, one line
     */
    public CriterionResult {
        Objects.requireNonNull(criterion, "criterion");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(required, "required");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(detail, "detail");
    }

    /** @return whether the criterion holds */
    public boolean passed() {
        return verdict == Verdict.PASS;
    }

    @Override
    public String toString() {
        return verdict + " " + criterion + ": " + (value.isEmpty() ? "" : value + " (required " + required + "); ")
                + detail;
    }
}
