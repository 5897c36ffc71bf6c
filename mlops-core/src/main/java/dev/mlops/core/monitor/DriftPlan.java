package dev.mlops.core.monitor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What an {@link InMemoryMonitor} keeps of each window for its {@link WindowDriftDetector}, beyond the
 * summaries every window has: for some numeric features, counts of the window's finite values on fixed
 * bin edges (exact, whatever the window's size) and a bounded uniform sample of them (exact while the
 * window holds no more values than the bound). Categorical features need nothing here: every window
 * already counts each category. No raw row is kept.
 *
 * <p>Memory, per recording stripe: {@code edges + 1} counts and {@code sampleSize + 3} values per
 * planned feature, 8 bytes each (a monitor recorded into by one thread has one stripe; see
 * {@link InMemoryMonitor} for how stripes grow under contention).
 *
 * <pre>{@code
 * DriftPlan plan = new DriftPlan(List.of(
 *         DriftPlan.Numeric.sample("amount", 2_000),                       // a test that reads values
 *         new DriftPlan.Numeric("age", List.of(18.0, 30.0, 45.0, 65.0), 0))); // counts on fixed bins
 * }</pre>
 *
 * @param numeric what to keep per numeric feature, at most one entry per feature
 */
public record DriftPlan(List<Numeric> numeric) {
    /** The largest bounded sample per feature and window: 2^20 values (8 MiB per stripe). */
    public static final int MAX_SAMPLE_SIZE = 1 << 20;
    /** The most bin edges per feature. */
    public static final int MAX_EDGES = 1 << 16;

    /**
     * Copies the entries; a feature may appear once.
     *
     * @param numeric what to keep per numeric feature, at most one entry per feature
     */
    public DriftPlan {
        numeric = List.copyOf(numeric);
        Set<String> seen = new HashSet<>();
        for (Numeric n : numeric) {
            if (!seen.add(n.feature())) {
                throw new IllegalArgumentException("drift plan: numeric feature " + n.feature() + " appears twice");
            }
        }
    }

    /** @return a plan that keeps nothing beyond the window's summaries (a detector of categories only) */
    public static DriftPlan none() {
        return new DriftPlan(List.of());
    }

    /**
     * What to keep of one numeric feature.
     *
     * <p><b>Bins.</b> With edges {@code e0 <= e1 <= ... <= ek} ({@code k >= 1}) the monitor counts the
     * window's finite values in {@code k + 2} bins: below {@code e0}; {@code [e(i-1), e(i))} for
     * {@code i < k}; {@code [e(k-1), ek]}, closed as the last bin of NumPy's {@code histogram}; above
     * {@code ek}. A value is placed by binary search on the edges, on the serving thread, allocation-free.
     *
     * <p><b>Sample.</b> With a sample size {@code n > 0} the monitor keeps a uniform sample of at most
     * {@code n} of the window's finite values: each recording stripe keeps a reservoir of {@code n}
     * (Li's Algorithm L: one comparison per value, a random number only for the values it takes), and
     * the closing thread merges the stripes' reservoirs into one uniform sample of {@code min(n, count)}
     * values (a multivariate hypergeometric draw of how many to take from each stripe, then a uniform
     * subset of each reservoir). While the window holds at most {@code n} finite values the sample is all
     * of them.
     *
     * @param feature a numeric feature of the monitor's schema
     * @param edges bin edges, ascending (equal neighbours allowed), finite; empty for no bins, else at
     *     least two and at most {@link DriftPlan#MAX_EDGES}
     * @param sampleSize the bound on the sample, 0 for none, at most {@link DriftPlan#MAX_SAMPLE_SIZE}
     */
    public record Numeric(String feature, List<Double> edges, int sampleSize) {
        /**
         * Validates and copies the parts; at least one of bins and sample must be asked for.
         *
         * @param feature a numeric feature of the monitor's schema
         * @param edges bin edges, ascending (equal neighbours allowed), finite; empty for no bins, else at least two
         *     and at most {@link DriftPlan#MAX_EDGES}
         * @param sampleSize the bound on the sample, 0 for none, at most {@link DriftPlan#MAX_SAMPLE_SIZE}
         */
        public Numeric {
            Objects.requireNonNull(feature, "feature");
            Objects.requireNonNull(edges, "edges");
            List<Double> copy = new ArrayList<>(edges.size());
            for (Double e : edges) {
                copy.add(Objects.requireNonNull(e, () -> "drift plan: an edge of " + feature + " is null"));
            }
            edges = List.copyOf(copy);
            if (edges.size() == 1 || edges.size() > MAX_EDGES) {
                throw new IllegalArgumentException("drift plan: " + feature + " needs no edges or 2 to " + MAX_EDGES
                        + ", had " + edges.size());
            }
            for (int i = 0; i < edges.size(); i++) {
                double e = edges.get(i);
                if (!Double.isFinite(e) || (i > 0 && e < edges.get(i - 1))) {
                    throw new IllegalArgumentException("drift plan: the edges of " + feature
                            + " must be finite and ascending; edge " + i + " is " + e
                            + (i > 0 ? " after " + edges.get(i - 1) : ""));
                }
            }
            if (sampleSize < 0 || sampleSize > MAX_SAMPLE_SIZE) {
                throw new IllegalArgumentException("drift plan: sampleSize of " + feature + " must be in [0, "
                        + MAX_SAMPLE_SIZE + "], was " + sampleSize);
            }
            if (edges.isEmpty() && sampleSize == 0) {
                throw new IllegalArgumentException("drift plan: " + feature
                        + " asks for nothing; give it edges, a sample size, or leave it out of the plan");
            }
        }

        /**
         * @param feature a numeric feature
         * @param sampleSize the bound on its sample, at least 1
         * @return an entry keeping a bounded sample only
         */
        public static Numeric sample(String feature, int sampleSize) {
            if (sampleSize < 1) {
                throw new IllegalArgumentException("drift plan: sampleSize of " + feature + " must be >= 1, was "
                        + sampleSize);
            }
            return new Numeric(feature, List.of(), sampleSize);
        }

        /** @return how many counts the bins take: {@code edges + 1}, or 0 without edges */
        public int binCount() {
            return edges.isEmpty() ? 0 : edges.size() + 1;
        }
    }
}
