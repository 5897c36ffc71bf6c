package dev.mlops.core.lifecycle;

import dev.mlops.core.drift.dataset.DatasetDriftResult;
import dev.mlops.core.registry.DataSource;
import dev.mlops.core.registry.Field;
import dev.mlops.core.registry.Lineage;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Declarative criteria a challenger must meet before it replaces the champion. {@link #evaluate} checks
 * every criterion, in the order they were added, and returns a {@link GateReport} naming each one, the
 * value found and the verdict; evidence a criterion needs and does not get counts as a failure
 * ({@link Verdict#MISSING}). Immutable and thread-safe.
 *
 * <pre>{@code
 * PromotionGate gate = PromotionGate.builder()
 *         .metricAtLeastChampion("auc", "holdout-nov", 0.005)      // reads metric "auc@holdout-nov"
 *         .signaturesCompatible()
 *         .lineageComplete()
 *         .trainingDriftAtMost(0.2)
 *         .shadow(Duration.ofHours(24), 10_000, 0.95)
 *         .build();
 * GateReport report = gate.evaluate(candidate, clock.instant());
 * }</pre>
 *
 * <p>A metric on a named hold-out is the version's metric {@code <metric>@<hold-out>}, registered as
 * {@code NewVersion.builder(model).metric("auc@holdout-nov", 0.934)}, so every version evaluated on the
 * same hold-out carries a comparable number.
 */
public final class PromotionGate {
    private final List<Function<Candidate, CriterionResult>> criteria;

    private PromotionGate(List<Function<Candidate, CriterionResult>> criteria) {
        this.criteria = List.copyOf(criteria);
    }

    /** @return a builder, with no criteria yet */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param metric a metric's name, such as {@code auc}
     * @param holdout the hold-out it was measured on, such as {@code holdout-nov}
     * @return the version metric that holds it: {@code metric@holdout}
     */
    public static String holdoutMetric(String metric, String holdout) {
        return Objects.requireNonNull(metric, "metric") + "@" + Objects.requireNonNull(holdout, "holdout");
    }

    /**
     * @param candidate the challenger, the champion and the evidence
     * @param at the evaluation's time, for the report
     * @return every criterion's result
     */
    public GateReport evaluate(Candidate candidate, Instant at) {
        Objects.requireNonNull(candidate, "candidate");
        List<CriterionResult> results = new ArrayList<>();
        for (Function<Candidate, CriterionResult> c : criteria) {
            results.add(c.apply(candidate));
        }
        return new GateReport(candidate.challenger().ref(), candidate.champion().map(ModelVersion::ref), at, results);
    }

    /** Builds a {@link PromotionGate}. Not thread-safe. */
    public static final class Builder {
        private final List<Function<Candidate, CriterionResult>> criteria = new ArrayList<>();

        private Builder() {
        }

        /**
         * The challenger's metric on a hold-out is at least the champion's plus {@code margin} (higher is
         * better: AUC, accuracy). With no champion, the challenger only needs to have the metric.
         *
         * @param metric the metric's name
         * @param holdout the hold-out's name
         * @param margin how much better it must be, {@code >= 0}
         * @return this
         */
        public Builder metricAtLeastChampion(String metric, String holdout, double margin) {
            return compare(metric, holdout, margin, true);
        }

        /**
         * The challenger's metric on a hold-out is at most the champion's minus {@code margin} (lower is
         * better: log loss, RMSE). With no champion, the challenger only needs to have the metric.
         *
         * @param metric the metric's name
         * @param holdout the hold-out's name
         * @param margin how much better (lower) it must be, {@code >= 0}
         * @return this
         */
        public Builder metricAtMostChampion(String metric, String holdout, double margin) {
            return compare(metric, holdout, margin, false);
        }

        private Builder compare(String metric, String holdout, double margin, boolean higherIsBetter) {
            String key = holdoutMetric(metric, holdout);
            if (!(margin >= 0) || Double.isInfinite(margin)) {
                throw new IllegalArgumentException("margin of " + key + " must be finite and >= 0, was " + margin);
            }
            String name = key + (higherIsBetter ? " >= champion + " : " <= champion - ") + margin;
            criteria.add(c -> {
                Double mine = c.challenger().metrics().get(key);
                if (mine == null) {
                    return new CriterionResult(name, "", "a value", Verdict.MISSING,
                            "the challenger " + c.challenger().ref() + " has no metric " + key);
                }
                if (c.champion().isEmpty()) {
                    return new CriterionResult(name, Double.toString(mine), "any value", Verdict.PASS,
                            "no champion to beat");
                }
                ModelVersion champion = c.champion().get();
                Double reevaluated = c.championMetrics().get(key);
                Double theirs = reevaluated != null ? reevaluated : champion.metrics().get(key);
                if (theirs == null) {
                    return new CriterionResult(name, Double.toString(mine), "a champion value", Verdict.MISSING,
                            "the champion " + champion.ref() + " has no metric " + key + " to compare with");
                }
                double bound = higherIsBetter ? theirs + margin : theirs - margin;
                boolean ok = higherIsBetter ? mine >= bound : mine <= bound;
                return new CriterionResult(name, Double.toString(mine), (higherIsBetter ? ">= " : "<= ") + bound,
                        ok ? Verdict.PASS : Verdict.FAIL, "champion " + champion.ref() + " has " + theirs
                        + (reevaluated != null ? " (re-evaluated on this hold-out)" : ""));
            });
            return this;
        }

        /**
         * The challenger accepts every request the champion accepts and returns every output callers read:
         * each champion input is a challenger input of the same type and shape, nullable when the
         * champion's is; an input only the challenger has is nullable (today's requests lack it); each
         * champion output is a challenger output of the same type and shape, not newly nullable. A champion
         * without a signature constrains nothing; a challenger without one, when the champion has one, fails.
         *
         * @return this
         */
        public Builder signaturesCompatible() {
            String name = "signature compatible with the champion's";
            criteria.add(c -> {
                if (c.champion().isEmpty() || c.champion().get().signature().isEmpty()) {
                    return new CriterionResult(name, "", "", Verdict.PASS, "no champion signature to keep");
                }
                Signature theirs = c.champion().get().signature();
                Signature mine = c.challenger().signature();
                if (mine.isEmpty()) {
                    return new CriterionResult(name, "none", "a compatible signature", Verdict.FAIL,
                            "the challenger declares no signature; the champion does");
                }
                List<String> problems = incompatibilities(theirs, mine);
                return new CriterionResult(name, problems.isEmpty() ? "compatible" : problems.size() + " problems",
                        "no problem", problems.isEmpty() ? Verdict.PASS : Verdict.FAIL,
                        problems.isEmpty() ? "every input and output kept" : String.join("; ", problems));
            });
            return this;
        }

        private static List<String> incompatibilities(Signature champion, Signature challenger) {
            List<String> problems = new ArrayList<>();
            Map<String, Field> inputs = byName(challenger.inputs());
            for (Field f : champion.inputs()) {
                Field g = inputs.remove(f.name());
                if (g == null) {
                    problems.add("input " + f.name() + " is gone");
                } else if (g.type() != f.type() || !g.shape().equals(f.shape())) {
                    problems.add("input " + f.name() + " is " + g.type() + g.shape() + ", was " + f.type() + f.shape());
                } else if (f.nullable() && !g.nullable()) {
                    problems.add("input " + f.name() + " no longer accepts null");
                }
            }
            for (Field g : inputs.values()) {
                if (!g.nullable()) {
                    problems.add("new input " + g.name() + " is required, and today's requests lack it");
                }
            }
            Map<String, Field> outputs = byName(challenger.outputs());
            for (Field f : champion.outputs()) {
                Field g = outputs.get(f.name());
                if (g == null) {
                    problems.add("output " + f.name() + " is gone");
                } else if (g.type() != f.type() || !g.shape().equals(f.shape())) {
                    problems.add("output " + f.name() + " is " + g.type() + g.shape() + ", was " + f.type() + f.shape());
                } else if (g.nullable() && !f.nullable()) {
                    problems.add("output " + f.name() + " may now be null");
                }
            }
            return problems;
        }

        private static Map<String, Field> byName(List<Field> fields) {
            Map<String, Field> m = new HashMap<>();
            for (Field f : fields) {
                m.put(f.name(), f);
            }
            return m;
        }

        /**
         * The challenger's lineage lets it be rebuilt: a code revision from a clean tree, and at least one
         * training data source, each with its SHA-256.
         *
         * @return this
         */
        public Builder lineageComplete() {
            String name = "lineage complete (clean code revision, data digests)";
            criteria.add(c -> {
                Lineage l = c.challenger().lineage();
                List<String> missing = new ArrayList<>();
                if (l.codeRevision().isEmpty()) {
                    missing.add("no code revision");
                } else if (l.dirty()) {
                    missing.add("code revision " + l.codeRevision().get() + " was built from a dirty tree");
                }
                if (l.data().isEmpty()) {
                    missing.add("no training data named");
                }
                for (DataSource d : l.data()) {
                    if (d.sha256().isEmpty()) {
                        missing.add("data " + d.uri() + " has no SHA-256");
                    }
                }
                return new CriterionResult(name, missing.isEmpty() ? "complete" : "incomplete", "complete",
                        missing.isEmpty() ? Verdict.PASS : Verdict.FAIL,
                        missing.isEmpty() ? "revision " + l.codeRevision().get() + ", " + l.data().size() + " data sources"
                                : String.join("; ", missing));
            });
            return this;
        }

        /**
         * The challenger's training data, tested against the serving reference, drifted in at most this
         * share of its tested columns ({@link DatasetDriftResult#share()}).
         *
         * @param maxShare the largest share of drifted columns allowed, in [0, 1]
         * @return this
         */
        public Builder trainingDriftAtMost(double maxShare) {
            if (!(maxShare >= 0 && maxShare <= 1)) {
                throw new IllegalArgumentException("maxShare must be in [0, 1], was " + maxShare);
            }
            String name = "training data drift share <= " + maxShare;
            criteria.add(c -> {
                if (c.trainingDrift().isEmpty()) {
                    return new CriterionResult(name, "", "<= " + maxShare, Verdict.MISSING,
                            "no drift test of the challenger's training data was given");
                }
                DatasetDriftResult r = c.trainingDrift().get();
                boolean ok = r.share() <= maxShare;
                return new CriterionResult(name, Double.toString(r.share()), "<= " + maxShare,
                        ok ? Verdict.PASS : Verdict.FAIL, r.driftedColumns() + " of " + r.testedColumns()
                        + " tested columns drifted");
            });
            return this;
        }

        /**
         * The challenger received shadow traffic for at least {@code minimum}, answered at least
         * {@code minRequests} requests beside the champion, and agreed with it on at least
         * {@code minAgreement} of them.
         *
         * @param minimum the shortest shadow period
         * @param minRequests the fewest requests answered by both
         * @param minAgreement the lowest share of requests answered alike, in [0, 1]
         * @return this
         */
        public Builder shadow(Duration minimum, long minRequests, double minAgreement) {
            Objects.requireNonNull(minimum, "minimum");
            if (minimum.isNegative() || minRequests < 0 || !(minAgreement >= 0 && minAgreement <= 1)) {
                throw new IllegalArgumentException("shadow needs minimum >= 0, minRequests >= 0 and minAgreement in"
                        + " [0, 1]; had " + minimum + ", " + minRequests + ", " + minAgreement);
            }
            String name = "shadow >= " + minimum + ", >= " + minRequests + " requests, agreement >= " + minAgreement;
            criteria.add(c -> {
                Optional<ShadowSummary> s = c.shadow();
                if (s.isEmpty()) {
                    return new CriterionResult(name, "", "a shadow period", Verdict.MISSING,
                            "the challenger had no shadow traffic");
                }
                ShadowSummary v = s.get();
                List<String> shortfalls = new ArrayList<>();
                if (v.observed().compareTo(minimum) < 0) {
                    shortfalls.add("observed " + v.observed() + " < " + minimum);
                }
                if (v.requests() < minRequests) {
                    shortfalls.add(v.requests() + " requests < " + minRequests);
                }
                if (!(v.agreement() >= minAgreement)) {
                    shortfalls.add("agreement " + v.agreement() + " < " + minAgreement);
                }
                return new CriterionResult(name, "agreement " + v.agreement() + " over " + v.requests() + " requests in "
                        + v.observed(), ">= " + minAgreement, shortfalls.isEmpty() ? Verdict.PASS : Verdict.FAIL,
                        shortfalls.isEmpty() ? "long enough, agreeing enough" : String.join("; ", shortfalls));
            });
            return this;
        }

        /** @return the gate */
        public PromotionGate build() {
            return new PromotionGate(criteria);
        }
    }
}
