package dev.mlops.core.lifecycle;

import dev.mlops.core.registry.ModelRef;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link PromotionGate}'s evaluation of a challenger against the champion: every criterion, its
 * value and verdict. It passes only when every criterion passes. Immutable.
 *
 * @param challenger the version proposed
 * @param champion the version serving when it was evaluated, if any
 * @param at when it was evaluated
 * @param criteria each criterion's result, in the gate's order
 */
public record GateReport(ModelRef.ByVersion challenger, Optional<ModelRef.ByVersion> champion, Instant at,
        List<CriterionResult> criteria) {
    /**
     * Copies the parts.
     *
     * @param challenger the version proposed
     * @param champion the version serving when it was evaluated, if any
     * @param at when it was evaluated
     * @param criteria each criterion's result, in the gate's order
     */
    public GateReport {
        Objects.requireNonNull(challenger, "challenger");
        Objects.requireNonNull(champion, "champion");
        Objects.requireNonNull(at, "at");
        criteria = List.copyOf(criteria);
    }

    /** @return whether every criterion passed (a gate with no criteria passes) */
    public boolean passed() {
        return criteria.stream().allMatch(CriterionResult::passed);
    }

    /** @return the criteria that did not pass */
    public List<CriterionResult> failures() {
        return criteria.stream().filter(c -> !c.passed()).toList();
    }

    /**
     * @return the report as audit details: {@code passed}, {@code challenger}, {@code champion} and one
     *     entry per criterion ({@code criterion.1} ...), each its one-line {@link CriterionResult#toString()}
     */
    public Map<String, String> auditDetails() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("passed", Boolean.toString(passed()));
        d.put("challenger", challenger.toString());
        d.put("champion", champion.map(ModelRef::toString).orElse(""));
        for (int i = 0; i < criteria.size(); i++) {
            d.put("criterion." + (i + 1), criteria.get(i).toString());
        }
        return d;
    }

    /** @return one line per criterion, after a headline */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder((passed() ? "PASSED " : "REJECTED ") + challenger
                + champion.map(c -> " against " + c).orElse(" (no champion)"));
        for (CriterionResult c : criteria) {
            b.append("\n  ").append(c);
        }
        return b.toString();
    }
}
