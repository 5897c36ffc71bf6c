package dev.mlops.drift;

import dev.mlops.core.drift.CategoricalSample;
import dev.mlops.core.drift.DriftDetector;
import dev.mlops.core.drift.DriftResult;
import dev.mlops.core.drift.NumericSample;
import dev.mlops.core.drift.Reference;
import dev.mlops.core.drift.Rule;
import dev.mlops.core.drift.Sample;
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
import dev.mlops.drift.internal.NumericTestResult;
import dev.mlops.drift.internal.TwoProportionZ;
import dev.mlops.drift.internal.Wasserstein;
import dev.mlops.drift.internal.WelchT;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One {@link StatTest} against a reference prepared at construction: numeric references keep their
 * sorted values (and, for the normed Wasserstein distance, their standard deviation); categorical
 * references keep their counts. Immutable and thread-safe.
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

    StatTestDetector(StatTest test, Reference reference, double threshold, Rule rule) {
        this.test = Objects.requireNonNull(test, "test");
        this.reference = Objects.requireNonNull(reference, "reference").sample();
        this.rule = Objects.requireNonNull(rule, "rule");
        if (rule.usesPValue() != test.hasPValue()) {
            throw new IllegalArgumentException(test.id() + (test.hasPValue() ? " gives a p-value" : " gives no p-value")
                    + "; rule " + rule + " does not fit it");
        }
        if (!(threshold >= 0) || Double.isInfinite(threshold) || (rule.usesPValue() && threshold > 1)) {
            throw new IllegalArgumentException("threshold of " + test.id() + " must be " + (rule.usesPValue()
                    ? "a p-value level in [0, 1]" : "a finite distance >= 0") + ", was " + threshold);
        }
        this.threshold = threshold;
        if (this.reference.size() == 0) {
            throw new IllegalArgumentException("reference for " + test.id() + " has no values ("
                    + this.reference.missing() + " missing)");
        }
        if (this.reference instanceof NumericSample numeric) {
            sortedReference = numeric.sortedValues();
            binnedReference = Binning.NumericReference.ofSorted(sortedReference);
            referenceStd = Math.max(standardDeviation(sortedReference), WASSERSTEIN_NORM_FLOOR);
        } else {
            if (test.kind() == StatTest.Kind.NUMERIC) {
                throw new IllegalArgumentException(test.id() + " needs a numeric reference, got categorical");
            }
            sortedReference = null;
            binnedReference = null;
            referenceStd = Double.NaN;
        }
    }

    StatTest test() {
        return test;
    }

    @Override
    public DriftResult detect(Sample current) {
        Objects.requireNonNull(current, "current");
        if ((current instanceof NumericSample) != (reference instanceof NumericSample)) {
            throw new IllegalArgumentException(test.id() + ": current sample is "
                    + (current instanceof NumericSample ? "numeric" : "categorical") + " but the reference is not");
        }
        if (current.size() == 0) {
            throw new IllegalArgumentException("current sample for " + test.id() + " has no values ("
                    + current.missing() + " missing)");
        }
        double statistic;
        OptionalDouble p = OptionalDouble.empty();
        if (test.kind() == StatTest.Kind.NUMERIC) {
            double[] cur = ((NumericSample) current).sortedValues();
            switch (test) {
                case KOLMOGOROV_SMIRNOV -> {
                    NumericTestResult r = KolmogorovSmirnov.test(sortedReference, cur);
                    statistic = r.statistic();
                    p = OptionalDouble.of(r.pValue());
                }
                case CRAMER_VON_MISES -> {
                    NumericTestResult r = CramerVonMises.test(sortedReference, cur);
                    statistic = r.statistic();
                    p = OptionalDouble.of(r.pValue());
                }
                case ANDERSON_DARLING -> {
                    NumericTestResult r = AndersonDarling.test(sortedReference, cur);
                    statistic = r.statistic();
                    p = OptionalDouble.of(r.pValue());
                }
                case MANN_WHITNEY -> {
                    NumericTestResult r = MannWhitney.test(sortedReference, cur);
                    statistic = r.statistic();
                    p = OptionalDouble.of(r.pValue());
                }
                case WELCH_T -> {
                    NumericTestResult r = WelchT.test(sortedReference, cur);
                    statistic = r.statistic();
                    p = OptionalDouble.of(r.pValue());
                }
                case WASSERSTEIN_NORMED -> statistic = Wasserstein.distance(sortedReference, cur) / referenceStd;
                case ENERGY_DISTANCE -> statistic = EnergyDistance.distance(sortedReference, cur);
                default -> throw new AssertionError(test);
            }
        } else {
            Bins bins = reference instanceof NumericSample
                    ? binnedReference.bins((NumericSample) current)
                    : Binning.categorical((CategoricalSample) reference, (CategoricalSample) current);
            switch (test) {
                case CHI_SQUARE -> {
                    ContingencyResult r = ChiSquare.homogeneity(bins.reference(), bins.current(), true);
                    statistic = r.statistic();
                    p = OptionalDouble.of(r.pValue());
                }
                case CHI_SQUARE_GOODNESS_OF_FIT -> {
                    ContingencyResult r = ChiSquare.goodnessOfFit(bins.reference(), bins.current());
                    statistic = r.statistic();
                    p = OptionalDouble.of(r.pValue());
                }
                case G_TEST -> {
                    ContingencyResult r = GTest.homogeneity(bins.reference(), bins.current(), true);
                    statistic = r.statistic();
                    p = OptionalDouble.of(r.pValue());
                }
                case FISHER_EXACT -> {
                    long[][] t = binary(bins);
                    FisherExact.Result r = FisherExact.test(t[0][0], t[0][1], t[1][0], t[1][1],
                            FisherExact.Alternative.TWO_SIDED);
                    statistic = r.oddsRatio();
                    p = OptionalDouble.of(r.pValue());
                }
                case Z_PROPORTION -> {
                    long[][] t = binary(bins);
                    TwoProportionZ.Result r = TwoProportionZ.test(t[0][0], t[0][0] + t[0][1], t[1][0], t[1][0] + t[1][1]);
                    statistic = r.z();
                    p = OptionalDouble.of(r.pValue());
                }
                case PSI -> statistic = Distances.psi(bins.referenceFrequencies(), bins.currentFrequencies());
                case KULLBACK_LEIBLER -> statistic = Distances.kullbackLeibler(bins.referenceFrequencies(),
                        bins.currentFrequencies());
                case JENSEN_SHANNON -> statistic = Distances.jensenShannon(bins.referenceFrequencies(),
                        bins.currentFrequencies());
                case HELLINGER -> statistic = Distances.hellinger(bins.referenceFrequencies(), bins.currentFrequencies());
                case TOTAL_VARIATION -> statistic = Distances.totalVariation(bins.referenceFrequencies(),
                        bins.currentFrequencies());
                case L_INFINITY -> statistic = Distances.lInfinity(bins.referenceFrequencies(), bins.currentFrequencies());
                default -> throw new AssertionError(test);
            }
        }
        return new DriftResult(test.id(), statistic, p, threshold, rule, reference.size(), current.size(),
                reference.missing(), current.missing());
    }

    /** The 2 x 2 table {@code [[ref first, ref second], [cur first, cur second]]} of a binary feature. */
    private long[][] binary(Bins bins) {
        if (bins.size() > 2) {
            throw new IllegalArgumentException(test.id() + " needs a binary feature; the samples hold " + bins.size()
                    + " categories " + bins.labels());
        }
        long[] ref = bins.reference();
        long[] cur = bins.current();
        return new long[][] {{ref[0], ref.length > 1 ? ref[1] : 0}, {cur[0], cur.length > 1 ? cur[1] : 0}};
    }

    /** Population standard deviation (ddof 0, as {@code numpy.std}), by Welford's update. */
    static double standardDeviation(double[] values) {
        double mean = 0;
        double m2 = 0;
        for (int i = 0; i < values.length; i++) {
            double delta = values[i] - mean;
            mean += delta / (i + 1);
            m2 += delta * (values[i] - mean);
        }
        return Math.sqrt(m2 / values.length);
    }
}
