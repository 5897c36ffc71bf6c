package dev.mlops.core.monitor;

import dev.mlops.core.drift.DriftResult;
import dev.mlops.core.drift.dataset.ColumnDrift;
import java.util.Locale;
import java.util.Objects;

/**
 * A data-quality, distribution or drift {@link WindowSignal} of one feature; made by
 * {@link WindowSignal#missingRate}, {@link WindowSignal#outOfRangeRate}, {@link WindowSignal#mean},
 * {@link WindowSignal#quantile}, {@link WindowSignal#unseenRate}, and for drift
 * {@link WindowSignal#drifted}, {@link WindowSignal#driftPValue} and {@link WindowSignal#driftStatistic}.
 * Its samples are the feature's values in the window (missing and
 * non-finite included). A window without the feature answers NaN with no samples, and so does a window
 * whose drift result does not hold the feature as tested (no drift result, or the feature untestable);
 * {@link InMemoryMonitor#addAlert} checks the feature against the schema when the rule is added, and that
 * the monitor tests drift for a drift statistic.
 *
 * @param feature the feature's name
 * @param statistic what to read of it
 * @param quantile the rank for {@link Statistic#QUANTILE}, in [0, 1]; NaN for the other statistics
 */
public record FeatureSignal(String feature, Statistic statistic, double quantile) implements WindowSignal {
    /** What a {@link FeatureSignal} reads of its feature. */
    public enum Statistic {
        /** Missing values over all values; numeric or categorical. */
        MISSING_RATE,
        /** Finite values outside the schema's expected range over finite values; numeric. */
        OUT_OF_RANGE_RATE,
        /** Mean of the finite values; numeric. */
        MEAN,
        /** A quantile of the finite values; numeric. */
        QUANTILE,
        /** Values outside the known categories over all values; categorical. */
        UNSEEN_RATE,
        /** 1 when the feature's drift test found drift in the window (after any correction), else 0; any kind. */
        DRIFTED,
        /** The p-value of the feature's drift test; NaN for a distance, which has none; any kind. */
        DRIFT_P_VALUE,
        /** The statistic or distance of the feature's drift test (PSI, Jensen-Shannon, KS's D ...); any kind. */
        DRIFT_STATISTIC;

        /** @return whether it reads the window's drift result */
        public boolean isDrift() {
            return this == DRIFTED || this == DRIFT_P_VALUE || this == DRIFT_STATISTIC;
        }
    }

    /**
     * Validates the parts.
     *
     * @param feature the feature's name
     * @param statistic what to read of it
     * @param quantile the rank for {@link Statistic#QUANTILE}, in [0, 1]; NaN for the other statistics
     */
    public FeatureSignal {
        Objects.requireNonNull(feature, "feature");
        Objects.requireNonNull(statistic, "statistic");
        if (statistic == Statistic.QUANTILE) {
            if (!(quantile >= 0 && quantile <= 1)) {
                throw new IllegalArgumentException("quantile of " + feature + " must be in [0, 1], was " + quantile);
            }
        } else if (!Double.isNaN(quantile)) {
            throw new IllegalArgumentException(statistic + " of " + feature + " takes no quantile (NaN), was " + quantile);
        }
    }

    @Override
    public String name() {
        return statistic == Statistic.QUANTILE ? feature + ".q" + quantile
                : feature + "." + statistic.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public double value(WindowSnapshot window) {
        NumericSummary n = numeric(window);
        CategoricalSummary c = n == null ? categorical(window) : null;
        return switch (statistic) {
            case MISSING_RATE -> n != null ? rate(n.missing(), n.total())
                    : c != null ? rate(c.missing(), c.total()) : Double.NaN;
            case OUT_OF_RANGE_RATE -> n != null ? rate(n.outOfRange(), n.count()) : Double.NaN;
            case MEAN -> n != null ? n.mean() : Double.NaN;
            case QUANTILE -> n != null ? n.quantile(quantile) : Double.NaN;
            case UNSEEN_RATE -> c != null ? rate(c.unseen(), c.total()) : Double.NaN;
            case DRIFTED -> window.drift(feature).flatMap(ColumnDrift::result).map(r -> r.drifted() ? 1.0 : 0.0)
                    .orElse(Double.NaN);
            case DRIFT_P_VALUE -> window.drift(feature).flatMap(ColumnDrift::result)
                    .map(r -> r.pValue().orElse(Double.NaN)).orElse(Double.NaN);
            case DRIFT_STATISTIC -> window.drift(feature).flatMap(ColumnDrift::result).map(DriftResult::statistic)
                    .orElse(Double.NaN);
        };
    }

    @Override
    public long samples(WindowSnapshot window) {
        NumericSummary n = numeric(window);
        if (n != null) {
            return n.total();
        }
        CategoricalSummary c = categorical(window);
        return c == null ? 0 : c.total();
    }

    /**
     * @param schema the features a monitor tracks
     * @throws IllegalArgumentException if the schema has no feature of that name of a kind the statistic
     *     applies to
     */
    void checkAgainst(FeatureSchema schema) {
        boolean numeric = schema.numericNames().contains(feature);
        boolean categorical = schema.categoricalNames().contains(feature);
        boolean fits = switch (statistic) {
            case MISSING_RATE, DRIFTED, DRIFT_P_VALUE, DRIFT_STATISTIC -> numeric || categorical;
            case OUT_OF_RANGE_RATE, MEAN, QUANTILE -> numeric;
            case UNSEEN_RATE -> categorical;
        };
        if (!fits) {
            throw new IllegalArgumentException(statistic + " needs a " + (statistic == Statistic.UNSEEN_RATE
                    ? "categorical feature, one of " + schema.categoricalNames()
                    : statistic == Statistic.MISSING_RATE || statistic.isDrift() ? "feature of the schema, one of "
                    + schema.numericNames() + " or " + schema.categoricalNames()
                    : "numeric feature, one of " + schema.numericNames()) + "; was " + feature);
        }
    }

    private NumericSummary numeric(WindowSnapshot window) {
        for (NumericSummary s : window.numeric()) {
            if (s.name().equals(feature)) {
                return s;
            }
        }
        return null;
    }

    private CategoricalSummary categorical(WindowSnapshot window) {
        for (CategoricalSummary s : window.categorical()) {
            if (s.name().equals(feature)) {
                return s;
            }
        }
        return null;
    }

    private static double rate(long part, long whole) {
        return whole == 0 ? Double.NaN : (double) part / whole;
    }
}
