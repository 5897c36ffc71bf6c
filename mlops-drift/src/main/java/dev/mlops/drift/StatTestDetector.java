package dev.mlops.drift;

import dev.mlops.core.Names;
import dev.mlops.core.drift.BinCounts;
import dev.mlops.core.drift.CategoricalSample;
import dev.mlops.core.drift.DriftDetector;
import dev.mlops.core.drift.DriftOutcome;
import dev.mlops.core.drift.DriftResult;
import dev.mlops.core.drift.NumericSample;
import dev.mlops.core.drift.Reference;
import dev.mlops.core.drift.Rule;
import dev.mlops.core.drift.Sample;
import dev.mlops.core.drift.Untestable;
import dev.mlops.drift.internal.AndersonDarling;
import dev.mlops.drift.internal.Binning;
import dev.mlops.drift.internal.Bins;
import dev.mlops.drift.internal.ChiSquare;
import dev.mlops.drift.internal.ContingencyResult;
import dev.mlops.drift.internal.CramerVonMises;
import dev.mlops.drift.internal.Distances;
import dev.mlops.drift.internal.EnergyDistance;
import dev.mlops.drift.internal.FisherExact;
import dev.mlops.drift.internal.GTest;
import dev.mlops.drift.internal.KolmogorovSmirnov;
import dev.mlops.drift.internal.MannWhitney;
import dev.mlops.drift.internal.Moments;
import dev.mlops.drift.internal.NumericTestResult;
import dev.mlops.drift.internal.TwoProportionZ;
import dev.mlops.drift.internal.Wasserstein;
import dev.mlops.drift.internal.WelchT;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One {@link StatTest} against a reference prepared at construction: numeric references keep their
 * sorted values (and, for the normed Wasserstein distance, their standard deviation); categorical
 * references keep their counts. Current samples on which a test is undefined (no or too few values, all
 * values equal for Anderson-Darling, more than two categories for a binary test, a NaN statistic or
 * p-value from SciPy's formulas) give an {@link Untestable} that names the test and the side at fault;
 * binned methods' results carry their bins.
 * Immutable and thread-safe.
 */
final class StatTestDetector implements DriftDetector {
    /** Evidently's floor for the reference standard deviation that normalises the Wasserstein distance. */
    static final double WASSERSTEIN_NORM_FLOOR = 0.001;

    private final StatTest test;
    private final Sample reference;
    private final double[] sortedReference;
    private final Binning.NumericReference binnedReference;
    private final double referenceStd;
    private final double threshold;
    private final Rule rule;
    private final KolmogorovSmirnov.Method ksMethod;
    private final boolean yates;
    /** The fixed edges of reference bins, or null when the current sample's bins follow Evidently's rule. */
    private final double[] referenceEdges;
    /** The reference's counts on {@link #referenceEdges}, or null. */
    private final long[] referenceEdgeCounts;

    StatTestDetector(StatTest test, Reference reference, double threshold, Rule rule) {
        this(test, reference, threshold, rule, KsMethod.AUTO, true, false);
    }

    /**
     * @param ksMethod the p-value method of {@link StatTest#KOLMOGOROV_SMIRNOV}; ignored by other tests
     * @param yates Yates' correction for {@link StatTest#CHI_SQUARE} and {@link StatTest#G_TEST} on tables
     *     with one degree of freedom; ignored by other tests
     * @param referenceBins whether a numeric reference's bins are fixed by the reference alone
     *     ({@link Binning#referenceEdges}), so that a window counted on them needs no values
     * @throws IllegalArgumentException when reference bins are asked of a test that does not bin, of a
     *     binary test, or of a categorical reference
     */
    StatTestDetector(StatTest test, Reference reference, double threshold, Rule rule, KsMethod ksMethod,
            boolean yates, boolean referenceBins) {
        this.ksMethod = switch (Objects.requireNonNull(ksMethod, "ksMethod")) {
            case AUTO -> KolmogorovSmirnov.Method.AUTO;
            case EXACT -> KolmogorovSmirnov.Method.EXACT;
            case ASYMPTOTIC -> KolmogorovSmirnov.Method.ASYMPTOTIC;
        };
        this.yates = yates;
        this.test = Objects.requireNonNull(test, "test");
        this.reference = Objects.requireNonNull(reference, "reference").sample();
        this.rule = Objects.requireNonNull(rule, "rule");
        checkRule(test, rule);
        checkThreshold(test, rule, threshold);
        this.threshold = threshold;
        if (this.reference.size() == 0) {
            throw new IllegalArgumentException("reference for " + test.id() + " has no values ("
                    + this.reference.missing() + " missing)");
        }
        if (this.reference instanceof NumericSample numeric) {
            if (numeric.size() < neededValues()) {
                throw new IllegalArgumentException("reference for " + test.id() + " needs at least " + neededValues()
                        + " values, had " + numeric.size());
            }
            sortedReference = numeric.sortedValues();
            binnedReference = Binning.NumericReference.ofSorted(sortedReference);
            if (referenceBins) {
                checkReferenceBins(test);
                referenceEdges = Binning.referenceEdges(sortedReference);
                referenceEdgeCounts = Binning.countOnEdges(sortedReference, referenceEdges);
            } else {
                referenceEdges = null;
                referenceEdgeCounts = null;
            }
            referenceStd = test == StatTest.WASSERSTEIN_NORMED
                    ? Math.max(standardDeviation(sortedReference), WASSERSTEIN_NORM_FLOOR)
                    : Double.NaN;
        } else {
            if (test.kind() == StatTest.Kind.NUMERIC) {
                throw new IllegalArgumentException(test.id() + " needs a numeric reference, got categorical");
            }
            if (referenceBins) {
                throw new IllegalArgumentException("option referenceBins needs a numeric reference; categories are"
                        + " their own bins");
            }
            sortedReference = null;
            binnedReference = null;
            referenceStd = Double.NaN;
            referenceEdges = null;
            referenceEdgeCounts = null;
        }
    }

    /**
     * @throws IllegalArgumentException when {@code test} does not count bins, or is a binary test (which
     *     reference bins, more than two, never suit)
     */
    static void checkReferenceBins(StatTest test) {
        if (test.kind() != StatTest.Kind.ANY || test == StatTest.FISHER_EXACT || test == StatTest.Z_PROPORTION) {
            throw new IllegalArgumentException("option referenceBins needs a test that counts bins (chi_square, "
                    + "chi_square_gof, g_test, psi, kl_div, jensenshannon, jensenshannon_base2, hellinger, "
                    + "total_variation, l_infinity), not " + test.id());
        }
    }

    /** @return the fixed edges of reference bins, or empty when the bins follow Evidently's rule */
    java.util.Optional<double[]> referenceEdges() {
        return referenceEdges == null ? java.util.Optional.empty() : java.util.Optional.of(referenceEdges.clone());
    }

    /**
     * @throws IllegalArgumentException when {@code rule} cannot judge {@code test} (see {@link StatTest#supports})
     */
    static void checkRule(StatTest test, Rule rule) {
        if (!test.supports(rule)) {
            throw new IllegalArgumentException("rule " + rule + " does not fit " + test.id() + ": " + (rule.usesPValue()
                    ? test.id() + " gives no p-value"
                    : "its statistic has no fixed scale, so only its p-value can be judged"));
        }
    }

    /**
     * @throws IllegalArgumentException when {@code threshold} is not a p-value level in [0, 1] for a p-value
     *     rule, or not a finite statistic in [0, maximum] for a statistic rule
     */
    static void checkThreshold(StatTest test, Rule rule, double threshold) {
        if (rule.usesPValue()) {
            if (!(threshold >= 0 && threshold <= 1)) {
                throw new IllegalArgumentException("threshold of " + test.id() + " must be a p-value level in [0, 1], was "
                        + threshold);
            }
        } else if (!(threshold >= 0 && threshold <= test.maxStatistic()) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("threshold of " + test.id() + " must be a finite statistic in [0, "
                    + (Double.isInfinite(test.maxStatistic()) ? "infinity)" : test.maxStatistic() + "]")
                    + ", the range of its values, was " + threshold);
        }
    }

    /** The fewest values per sample that each numeric test needs: SciPy raises or answers NaN below it. */
    private int neededValues() {
        return test == StatTest.WELCH_T || test == StatTest.CRAMER_VON_MISES ? 2 : 1;
    }

    StatTest test() {
        return test;
    }

    @Override
    public DriftOutcome evaluate(Sample current) {
        Objects.requireNonNull(current, "current");
        if ((current instanceof NumericSample) != (reference instanceof NumericSample)) {
            throw new IllegalArgumentException(test.id() + ": current sample is "
                    + (current instanceof NumericSample ? "numeric" : "categorical") + " but the reference is not");
        }
        if (current.size() == 0) {
            return untestable(current, Untestable.Reason.NO_CURRENT_VALUES, "the current sample has no values ("
                    + current.missing() + " missing)");
        }
        Computed computed;
        if (test.kind() == StatTest.Kind.NUMERIC) {
            int needed = neededValues();
            if (current.size() < needed) {
                return untestable(current, Untestable.Reason.TOO_FEW_VALUES, test.id() + " needs at least " + needed
                        + " current values, had " + current.size());
            }
            double[] cur = ((NumericSample) current).sortedValues();
            if (test == StatTest.ANDERSON_DARLING) {
                Untestable u = andersonDarlingUntestable(current, cur);
                if (u != null) {
                    return u;
                }
            }
            computed = numeric(cur);
        } else if (referenceEdges != null) {
            return evaluateCounts(Binning.countOnEdges(((NumericSample) current).sortedValues(), referenceEdges),
                    current.missing());
        } else {
            Bins bins = reference instanceof NumericSample
                    ? binnedReference.bins((NumericSample) current)
                    : Binning.categorical((CategoricalSample) reference, (CategoricalSample) current);
            if ((test == StatTest.FISHER_EXACT || test == StatTest.Z_PROPORTION) && bins.size() > 2) {
                return untestable(current, Untestable.Reason.NOT_BINARY, test.id() + " needs a binary feature; reference"
                        + " and current together hold " + bins.size() + " categories " + quoted(bins.labels()));
            }
            computed = binned(bins);
        }
        double statistic = computed.statistic();
        OptionalDouble p = computed.pValue();
        if ((p.isPresent() && Double.isNaN(p.getAsDouble())) || Double.isNaN(statistic)) {
            return untestable(current, undefinedReason(current), test.id() + " is undefined for these samples ("
                    + undefinedBecause(current) + ": statistic " + statistic + ", p-value "
                    + (p.isPresent() ? p.getAsDouble() : "none") + ")");
        }
        return new DriftResult(test.id(), statistic, p, threshold, rule, reference.size(), current.size(),
                reference.missing(), current.missing(), computed.bins());
    }

    /**
     * Tests a current sample given as its counts on the reference bins ({@link #referenceEdges()}), as a
     * monitor counts a window: exactly what {@link #evaluate} gives for values with these counts.
     *
     * @param counts the current values' counts in the {@code edges + 1} reference bins
     * @param missing the current sample's missing values
     * @return the result, or why the counts cannot be tested
     * @throws IllegalStateException when this detector has no reference bins
     * @throws IllegalArgumentException when there are not {@code edges + 1} counts, or one is negative
     */
    DriftOutcome evaluateCounts(long[] counts, long missing) {
        if (referenceEdges == null) {
            throw new IllegalStateException(test.id() + " was built without referenceBins");
        }
        if (counts.length != referenceEdges.length + 1) {
            throw new IllegalArgumentException(test.id() + ": expected " + (referenceEdges.length + 1)
                    + " counts on the reference bins, had " + counts.length);
        }
        long size = 0;
        for (long c : counts) {
            if (c < 0 || c > CategoricalSample.MAX_TOTAL - size) {
                throw new IllegalArgumentException(test.id() + ": counts must be >= 0 and add up to at most 2^53, were "
                        + java.util.Arrays.toString(counts));
            }
            size += c;
        }
        if (size == 0) {
            return new Untestable(test.id(), Untestable.Reason.NO_CURRENT_VALUES, "the current sample has no values ("
                    + missing + " missing)", reference.size(), 0, reference.missing(), missing);
        }
        Computed computed = binned(Binning.onEdges(referenceEdges, referenceEdgeCounts, counts));
        double statistic = computed.statistic();
        OptionalDouble p = computed.pValue();
        if ((p.isPresent() && Double.isNaN(p.getAsDouble())) || Double.isNaN(statistic)) {
            return new Untestable(test.id(), Untestable.Reason.UNDEFINED, test.id() + " is undefined for these counts"
                    + " (statistic " + statistic + ", p-value " + (p.isPresent() ? p.getAsDouble() : "none") + ")",
                    reference.size(), size, reference.missing(), missing);
        }
        return new DriftResult(test.id(), statistic, p, threshold, rule, reference.size(), size, reference.missing(),
                missing, computed.bins());
    }

    private Untestable untestable(Sample current, Untestable.Reason reason, String detail) {
        return new Untestable(test.id(), reason, detail, reference.size(), current.size(), reference.missing(),
                current.missing());
    }

    /** At most five categories, each escaped and shortened, for a one-line message. */
    private static String quoted(List<String> labels) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < Math.min(5, labels.size()); i++) {
            b.append(i == 0 ? "" : ", ").append(Names.quote(labels.get(i).length() > 40
                    ? labels.get(i).substring(0, 40) + "..." : labels.get(i)));
        }
        if (labels.size() > 5) {
            b.append(", ... and ").append(labels.size() - 5).append(" more");
        }
        return b.append(']').toString();
    }

    /** SciPy's {@code anderson_ksamp} raises on these inputs; say which side makes them so. */
    private Untestable andersonDarlingUntestable(Sample current, double[] cur) {
        long total = sortedReference.length + (long) cur.length;
        if (total < 3) {
            return untestable(current, Untestable.Reason.TOO_FEW_VALUES, test.id() + " needs at least 3 values in"
                    + " reference and current together, had " + sortedReference.length + " reference and " + cur.length
                    + " current");
        }
        double v = sortedReference[0];
        if (sortedReference[sortedReference.length - 1] == v && cur[0] == v && cur[cur.length - 1] == v) {
            return untestable(current, Untestable.Reason.CONSTANT, test.id() + " is undefined for these samples (every"
                    + " reference and current value equals " + v + ")");
        }
        return null;
    }

    private Untestable.Reason undefinedReason(Sample current) {
        String because = undefinedBecause(current);
        return because.contains("constant") ? Untestable.Reason.CONSTANT : Untestable.Reason.UNDEFINED;
    }

    /** The likely reason an internal test answered NaN, for the error message. */
    private String undefinedBecause(Sample current) {
        if (current instanceof NumericSample cur && sortedReference != null) {
            double r0 = sortedReference[0];
            boolean refConstant = sortedReference[sortedReference.length - 1] == r0;
            boolean curConstant = cur.valueAt((int) cur.size() - 1) == cur.valueAt(0);
            if (refConstant && curConstant && cur.valueAt(0) == r0) {
                return "reference and current are both constant at " + r0;
            }
            if (refConstant || curConstant) {
                return (refConstant ? "reference" : "current") + " is constant";
            }
        }
        return "the test has no value here";
    }

    /** A method's statistic and, for tests, its p-value. */
    private record Computed(double statistic, OptionalDouble pValue, Optional<BinCounts> bins) {
        static Computed test(double statistic, double pValue) {
            return new Computed(statistic, OptionalDouble.of(pValue), Optional.empty());
        }

        Computed binnedBy(Bins b) {
            List<String> labels = b.labels();
            List<Double> edges = new ArrayList<>();
            if (b.isHistogram()) {
                for (double e : b.edges()) {
                    edges.add(e);
                }
            }
            List<Long> ref = new ArrayList<>();
            List<Long> cur = new ArrayList<>();
            long[] r = b.reference();
            long[] c = b.current();
            for (int i = 0; i < b.size(); i++) {
                ref.add(i < r.length ? r[i] : 0L);
                cur.add(i < c.length ? c[i] : 0L);
            }
            return new Computed(statistic, pValue, Optional.of(new BinCounts(labels, edges, ref, cur)));
        }

        static Computed of(NumericTestResult r) {
            return test(r.statistic(), r.pValue());
        }

        static Computed of(ContingencyResult r) {
            return test(r.statistic(), r.pValue());
        }

        static Computed distance(double statistic) {
            return new Computed(statistic, OptionalDouble.empty(), Optional.empty());
        }
    }

    private Computed numeric(double[] cur) {
        return switch (test) {
            case KOLMOGOROV_SMIRNOV -> Computed.of(KolmogorovSmirnov.test(sortedReference, cur,
                    KolmogorovSmirnov.Alternative.TWO_SIDED, ksMethod));
            case CRAMER_VON_MISES -> Computed.of(CramerVonMises.test(sortedReference, cur));
            case ANDERSON_DARLING -> Computed.of(AndersonDarling.test(sortedReference, cur));
            case MANN_WHITNEY -> Computed.of(MannWhitney.test(sortedReference, cur));
            case WELCH_T -> Computed.of(WelchT.test(sortedReference, cur));
            case WASSERSTEIN_NORMED -> Computed.distance(Wasserstein.normed(sortedReference, cur, referenceStd));
            case ENERGY_DISTANCE -> Computed.distance(EnergyDistance.distance(sortedReference, cur));
            default -> throw new AssertionError(test);
        };
    }

    private Computed binned(Bins bins) {
        return unbinned(bins).binnedBy(bins);
    }

    private Computed unbinned(Bins bins) {
        if (test == StatTest.FISHER_EXACT || test == StatTest.Z_PROPORTION) {
            long[][] t = binary(bins);
            if (test == StatTest.FISHER_EXACT) {
                FisherExact.Result r = FisherExact.test(t[1][0], t[1][1], t[0][0], t[0][1], FisherExact.Alternative.TWO_SIDED);
                return Computed.test(r.oddsRatio(), r.pValue());
            }
            TwoProportionZ.Result r = TwoProportionZ.test(t[0][0], t[0][0] + t[0][1], t[1][0], t[1][0] + t[1][1]);
            return Computed.test(r.z(), r.pValue());
        }
        if (test.hasPValue()) {
            return Computed.of(switch (test) {
                case CHI_SQUARE -> ChiSquare.homogeneity(bins.reference(), bins.current(), yates);
                case CHI_SQUARE_GOODNESS_OF_FIT -> ChiSquare.goodnessOfFit(bins.reference(), bins.current());
                case G_TEST -> GTest.homogeneity(bins.reference(), bins.current(), yates);
                default -> throw new AssertionError(test);
            });
        }
        double[] ref = bins.referenceFrequencies();
        double[] cur = bins.currentFrequencies();
        return Computed.distance(switch (test) {
            case PSI -> Distances.psi(ref, cur);
            case KULLBACK_LEIBLER -> Distances.kullbackLeibler(ref, cur);
            case JENSEN_SHANNON -> Distances.jensenShannon(ref, cur);
            case JENSEN_SHANNON_BASE2 -> Distances.jensenShannon(ref, cur, 2);
            case HELLINGER -> Distances.hellinger(ref, cur);
            case TOTAL_VARIATION -> Distances.totalVariation(ref, cur);
            case L_INFINITY -> Distances.lInfinity(ref, cur);
            default -> throw new AssertionError(test);
        });
    }

    /**
     * The 2 x 2 table {@code [[reference hits, reference others], [current hits, current others]]} of a
     * binary feature, the hit being the category that sorts last in both samples together (see
     * {@link StatTest}).
     */
    private long[][] binary(Bins bins) {
        long[] ref = bins.reference();
        long[] cur = bins.current();
        int hit = hitIndex(bins);
        int other = 1 - hit;
        return new long[][] {
            {ref[hit], other < ref.length ? ref[other] : 0},
            {cur[hit], other < cur.length ? cur[other] : 0}
        };
    }

    /**
     * Numeric bins come ascending by value, so the hit is the last; categorical bins hold the reference's
     * categories before the unseen ones, so the hit is the greatest label.
     */
    private int hitIndex(Bins bins) {
        if (bins.size() == 1 || reference instanceof NumericSample) {
            return bins.size() - 1;
        }
        List<String> labels = bins.labels();
        return labels.get(0).compareTo(labels.get(1)) > 0 ? 0 : 1;
    }

    /**
     * Population standard deviation (ddof 0) as {@code numpy.std}: two passes in NumPy's order on the values
     * scaled by a power of two, so that it is finite for any finite values (near 1e300 the squares of the
     * unscaled deviations overflow).
     */
    static double standardDeviation(double[] values) {
        return Moments.populationStd(values);
    }
}
