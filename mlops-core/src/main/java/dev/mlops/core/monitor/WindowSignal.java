package dev.mlops.core.monitor;

/**
 * A number an {@link AlertRule} reads from each closed window, with the number of samples behind it
 * (which the rule's {@link AlertRule#minSamples()} is compared to).
 *
 * <p>Implementations: every {@link Metric} (window-wide quantities, the outcome metrics, and the
 * dataset's drift: {@link Metric#DRIFTED_SHARE}, {@link Metric#DATASET_DRIFT}), and {@link FeatureSignal}
 * for one feature's data quality, distribution and drift, made by the factories here. Drift rules thus get
 * the same thresholds, minimum samples, consecutive windows and cooldown as the rest. This interface is
 * also the extension point for rules on anything else a window carries.
 *
 * <p>Implementations are immutable values and must not throw: a window that cannot answer gives NaN,
 * which never breaches a rule.
 *
 * <pre>{@code
 * AlertRule.when(WindowSignal.missingRate("amount")).above(0.05).minSamples(100).forWindows(2);
 * AlertRule.when(WindowSignal.quantile("amount", 0.99)).above(10_000);
 * AlertRule.when(WindowSignal.unseenRate("country")).above(0.01);
 * AlertRule.when(WindowSignal.drifted("amount")).above(0.5).minSamples(500).forWindows(2);
 * AlertRule.when(WindowSignal.driftPValue("amount")).below(0.001);
 * }</pre>
 */
public interface WindowSignal {
    /** @return a short name for messages, such as {@code FAILURE_RATE} or {@code amount.missing_rate} */
    String name();

    /**
     * @param window a closed window (its outcome metrics as joined so far)
     * @return the signal's value in it; NaN when the window cannot answer
     */
    double value(WindowSnapshot window);

    /**
     * @param window a closed window
     * @return how many samples {@link #value} is computed from
     */
    long samples(WindowSnapshot window);

    /**
     * @param feature a numeric or categorical feature
     * @return its missing values over all its values
     */
    static FeatureSignal missingRate(String feature) {
        return new FeatureSignal(feature, FeatureSignal.Statistic.MISSING_RATE, Double.NaN);
    }

    /**
     * @param feature a numeric feature with an expected range
     * @return its finite values outside the schema's range over its finite values
     */
    static FeatureSignal outOfRangeRate(String feature) {
        return new FeatureSignal(feature, FeatureSignal.Statistic.OUT_OF_RANGE_RATE, Double.NaN);
    }

    /**
     * @param feature a numeric feature
     * @return the mean of its finite values
     */
    static FeatureSignal mean(String feature) {
        return new FeatureSignal(feature, FeatureSignal.Statistic.MEAN, Double.NaN);
    }

    /**
     * @param feature a numeric feature
     * @param q the rank, in [0, 1]
     * @return the quantile of its finite values, from the window's sketch
     */
    static FeatureSignal quantile(String feature, double q) {
        return new FeatureSignal(feature, FeatureSignal.Statistic.QUANTILE, q);
    }

    /**
     * @param feature a categorical feature
     * @return its values outside the known categories over all its values
     */
    static FeatureSignal unseenRate(String feature) {
        return new FeatureSignal(feature, FeatureSignal.Statistic.UNSEEN_RATE, Double.NaN);
    }

    /**
     * @param feature a feature the monitor's drift detector tests
     * @return 1 when the feature drifted in the window (its test's verdict, after any multiple-testing
     *     correction), 0 when it did not; NaN when it was not tested; watch it with {@code above(0.5)}
     */
    static FeatureSignal drifted(String feature) {
        return new FeatureSignal(feature, FeatureSignal.Statistic.DRIFTED, Double.NaN);
    }

    /**
     * @param feature a feature the monitor's drift detector tests
     * @return the p-value of its drift test in the window; NaN for a distance (PSI, Wasserstein,
     *     Jensen-Shannon), which has none, and when it was not tested
     */
    static FeatureSignal driftPValue(String feature) {
        return new FeatureSignal(feature, FeatureSignal.Statistic.DRIFT_P_VALUE, Double.NaN);
    }

    /**
     * @param feature a feature the monitor's drift detector tests
     * @return the statistic or distance of its drift test in the window; NaN when it was not tested
     */
    static FeatureSignal driftStatistic(String feature) {
        return new FeatureSignal(feature, FeatureSignal.Statistic.DRIFT_STATISTIC, Double.NaN);
    }
}
