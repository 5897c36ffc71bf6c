package dev.mlops.core.monitor;

import dev.mlops.core.drift.NumericSample;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One closed window's feature data, as an {@link InMemoryMonitor} hands it to its
 * {@link WindowDriftDetector}: the window's summaries, and for the numeric features of the
 * {@link DriftPlan} the bounded sample and the bin counts kept for them. No raw row. Immutable.
 *
 * @param start the window's start
 * @param end the window's end
 * @param numeric one entry per numeric feature of the schema, in schema order
 * @param categorical the summary of each categorical feature, in schema order (counts per known category,
 *     missing, unseen, and the new categories counted by name)
 */
public record DriftWindow(Instant start, Instant end, List<Numeric> numeric, List<CategoricalSummary> categorical) {
    /**
     * Validates and copies the parts.
     *
     * @param start the window's start
     * @param end the window's end
     * @param numeric one entry per numeric feature of the schema, in schema order
     * @param categorical the summary of each categorical feature, in schema order (counts per known category,
     *     missing, unseen, and the new categories counted by name)
     */
    public DriftWindow {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        numeric = List.copyOf(numeric);
        categorical = List.copyOf(categorical);
    }

    /**
     * @param name a numeric feature
     * @return its data
     * @throws IllegalArgumentException if the window has no such numeric feature
     */
    public Numeric numeric(String name) {
        for (Numeric n : numeric) {
            if (n.name().equals(name)) {
                return n;
            }
        }
        throw new IllegalArgumentException("no numeric feature " + name + " in the window; it has "
                + numeric.stream().map(Numeric::name).toList());
    }

    /**
     * @param name a categorical feature
     * @return its summary
     * @throws IllegalArgumentException if the window has no such categorical feature
     */
    public CategoricalSummary categorical(String name) {
        for (CategoricalSummary c : categorical) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no categorical feature " + name + " in the window; it has "
                + categorical.stream().map(CategoricalSummary::name).toList());
    }

    /**
     * One numeric feature of the window.
     *
     * @param summary the window's summary of the feature (counts, mean, variance, sketch)
     * @param sample the uniform sample of at most the plan's size of its finite values, sorted, with the
     *     window's missing and infinite values counted as missing; empty when the plan keeps none
     * @param binCounts the counts of its finite values on the plan's edges ({@code edges + 1} of them,
     *     see {@link DriftPlan.Numeric}); empty when the plan has no edges for it
     */
    public record Numeric(NumericSummary summary, Optional<NumericSample> sample, List<Long> binCounts) {
        /**
         * Validates and copies the parts.
         *
         * @param summary the window's summary of the feature (counts, mean, variance, sketch)
         * @param sample the uniform sample of at most the plan's size of its finite values, sorted, with the window's
         *     missing and infinite values counted as missing; empty when the plan keeps none
         * @param binCounts the counts of its finite values on the plan's edges ({@code edges + 1} of them, see {@link
         *     DriftPlan.Numeric}); empty when the plan has no edges for it
         */
        public Numeric {
            Objects.requireNonNull(summary, "summary");
            Objects.requireNonNull(sample, "sample");
            binCounts = List.copyOf(binCounts);
        }

        /** @return the feature's name */
        public String name() {
            return summary.name();
        }

        /**
         * @return whether the sample holds every finite value of the window (the window held no more than
         *     the bound), so a test on it is a test on the window
         */
        public boolean sampleIsWholeWindow() {
            return sample.isPresent() && sample.get().size() == summary.count();
        }
    }
}
