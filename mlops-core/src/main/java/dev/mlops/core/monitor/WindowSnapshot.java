package dev.mlops.core.monitor;

import dev.mlops.core.drift.dataset.ColumnDrift;
import dev.mlops.core.drift.dataset.DatasetDriftResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * What a {@link Monitor} saw in one time window (or, for the cumulative view, since it started): an
 * immutable copy.
 *
 * <p>{@link #predictions()} and {@link #failures()} count the calls of {@code record} (and
 * {@code recordClass}, {@code recordLatency}) and {@code recordFailure}; the latency sketch holds both (a negative latency is
 * counted in its {@link QuantileSketchSnapshot#negativeCount()} and kept out of the quantiles). The
 * score summary covers the predictions recorded with a score, the class summary those recorded with a
 * class, each feature summary both. Values undefined for the window (a quantile of
 * nothing, a rate over no time) are NaN.
 *
 * <p><b>Drift.</b> A closed window of a monitor built with a {@link WindowDriftDetector} carries the
 * detector's result for the window ({@link #drift()}): each feature tested against the reference, and
 * the dataset's verdict. The open window, the cumulative view, windows that recorded no features and
 * merged windows carry none.
 *
 * <p><b>Merging</b> the windows of replicas that saw disjoint traffic ({@link #merge(WindowSnapshot)})
 * adds every count and sketch bucket exactly, outcome counts and confusion matrices included; see
 * {@link NumericSummary} for mean and variance. Drift results do not merge (a p-value of one replica's
 * window says nothing of the fleet's, and the samples behind it are gone): a merged window has none.
 *
 * <pre>{@code
 * WindowSnapshot w = monitor.snapshot().current();
 * double p99 = w.latencyNanos().quantile(0.99);
 * long late = w.numeric("amount").outOfRange();
 * long newCountries = w.categorical("country").unseen();
 * }</pre>
 *
 * @param start the window's start, inclusive
 * @param end the window's end, exclusive; for the open window, the time of the snapshot
 * @param predictions successful predictions recorded
 * @param failures failed predictions recorded
 * @param latencyNanos latencies of all recorded predictions, in nanoseconds
 * @param score the model's scores (predictions recorded with a score)
 * @param predictedClasses the predicted classes (predictions recorded with a class), named
 *     {@code "class"}, over the monitor's class list
 * @param numeric one summary per numeric feature, in schema order
 * @param categorical one summary per categorical feature, in schema order
 * @param outcomes the outcomes joined to the window's predictions so far, and those that arrived during
 *     the window unjoined
 * @param drift the window's features tested against the monitor's drift reference; empty without a
 *     drift detector, for the open window, the cumulative view, windows without features, merged windows,
 *     and when the detector failed (logged by the monitor)
 */
public record WindowSnapshot(
        Instant start,
        Instant end,
        long predictions,
        long failures,
        QuantileSketchSnapshot latencyNanos,
        NumericSummary score,
        CategoricalSummary predictedClasses,
        List<NumericSummary> numeric,
        List<CategoricalSummary> categorical,
        WindowOutcomes outcomes,
        Optional<DatasetDriftResult> drift) {

    /**
     * Validates and copies the parts.
     *
     * @param start the window's start, inclusive
     * @param end the window's end, exclusive; for the open window, the time of the snapshot
     * @param predictions successful predictions recorded
     * @param failures failed predictions recorded
     * @param latencyNanos latencies of all recorded predictions, in nanoseconds
     * @param score the model's scores (predictions recorded with a score)
     * @param predictedClasses the predicted classes (predictions recorded with a class), named {@code "class"}, over
     *     the monitor's class list
     * @param numeric one summary per numeric feature, in schema order
     * @param categorical one summary per categorical feature, in schema order
     * @param outcomes the outcomes joined to the window's predictions so far, and those that arrived during the
     *     window unjoined
     * @param drift the window's features tested against the monitor's drift reference; empty without a
     *     drift detector, for the open window, the cumulative view, windows without features, merged windows,
     *     and when the detector failed (logged by the monitor)
     */
    public WindowSnapshot {
        Objects.requireNonNull(drift, "drift");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(latencyNanos, "latencyNanos");
        Objects.requireNonNull(score, "score");
        Objects.requireNonNull(predictedClasses, "predictedClasses");
        Objects.requireNonNull(outcomes, "outcomes");
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("window end " + end + " must not be before its start " + start);
        }
        if (predictions < 0 || failures < 0) {
            throw new IllegalArgumentException("counts must be >= 0, were predictions " + predictions + ", failures "
                    + failures);
        }
        numeric = List.copyOf(numeric);
        categorical = List.copyOf(categorical);
    }

    /**
     * A window without a drift result.
     *
     * @param start the window's start, inclusive
     * @param end the window's end, exclusive
     * @param predictions successful predictions recorded
     * @param failures failed predictions recorded
     * @param latencyNanos latencies of all recorded predictions, in nanoseconds
     * @param score the model's scores
     * @param predictedClasses the predicted classes
     * @param numeric one summary per numeric feature, in schema order
     * @param categorical one summary per categorical feature, in schema order
     * @param outcomes the outcomes joined to the window's predictions
     */
    public WindowSnapshot(Instant start, Instant end, long predictions, long failures,
            QuantileSketchSnapshot latencyNanos, NumericSummary score, CategoricalSummary predictedClasses,
            List<NumericSummary> numeric, List<CategoricalSummary> categorical, WindowOutcomes outcomes) {
        this(start, end, predictions, failures, latencyNanos, score, predictedClasses, numeric, categorical, outcomes,
                Optional.empty());
    }

    /** @return the window's length (for the open window, so far) */
    public Duration duration() {
        return Duration.between(start, end);
    }

    /** @return predictions and failures */
    public long count() {
        return predictions + failures;
    }

    /** @return {@link #count()} per second of {@link #duration()}, NaN for an empty duration */
    public double throughputPerSecond() {
        double seconds = duration().toNanos() / 1e9;
        return seconds > 0 ? count() / seconds : Double.NaN;
    }

    /** @return failures over {@link #count()}, NaN when there were none */
    public double failureRate() {
        long count = count();
        return count == 0 ? Double.NaN : (double) failures / count;
    }

    /**
     * @param name a numeric feature of the schema
     * @return its summary
     * @throws IllegalArgumentException if there is no such numeric feature
     */
    public NumericSummary numeric(String name) {
        for (NumericSummary s : numeric) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no numeric feature " + name + "; the window has "
                + numeric.stream().map(NumericSummary::name).toList());
    }

    /**
     * @param name a categorical feature of the schema
     * @return its summary
     * @throws IllegalArgumentException if there is no such categorical feature
     */
    public CategoricalSummary categorical(String name) {
        for (CategoricalSummary s : categorical) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no categorical feature " + name + "; the window has "
                + categorical.stream().map(CategoricalSummary::name).toList());
    }

    /**
     * The value of a metric an {@link AlertRule} can watch; NaN when this window cannot answer it
     * (outcome metrics before any outcome is joined or of another model kind, a quantile of nothing).
     * {@link Metric#LABELED} is 0 without outcome metrics.
     *
     * @param metric a metric
     * @return its value in this window
     */
    public double value(Metric metric) {
        return switch (metric) {
            case PREDICTIONS -> count();
            case FAILURE_RATE -> failureRate();
            case LATENCY_P50 -> latencyNanos.quantile(0.5);
            case LATENCY_P90 -> latencyNanos.quantile(0.9);
            case LATENCY_P99 -> latencyNanos.quantile(0.99);
            case LATENCY_P999 -> latencyNanos.quantile(0.999);
            case LATENCY_MAX -> latencyNanos.max();
            case SCORE_MEAN -> score.mean();
            case MISSING_RATE -> missingRate();
            case DRIFTED_SHARE -> drift.filter(d -> d.testedColumns() > 0).map(DatasetDriftResult::share)
                    .orElse(Double.NaN);
            case DATASET_DRIFT -> drift.filter(d -> d.testedColumns() > 0).map(d -> d.drifted() ? 1.0 : 0.0)
                    .orElse(Double.NaN);
            case LABELED -> outcomes.labeled();
            case ACCURACY -> classification(ClassificationSnapshot::accuracy);
            case PRECISION -> classification(c -> c.isBinary() ? c.precision() : c.macroPrecision());
            case RECALL -> classification(c -> c.isBinary() ? c.recall() : c.macroRecall());
            case F1 -> classification(c -> c.isBinary() ? c.f1() : c.macroF1());
            case LOG_LOSS -> classification(ClassificationSnapshot::logLoss);
            case AUC -> classification(ClassificationSnapshot::auc);
            case MEAN_ABSOLUTE_ERROR -> regression(RegressionSnapshot::mae);
            case ROOT_MEAN_SQUARED_ERROR -> regression(RegressionSnapshot::rmse);
            case MEAN_ABSOLUTE_PERCENTAGE_ERROR -> regression(RegressionSnapshot::mape);
        };
    }

    /**
     * How many samples the window has for a metric, which {@link AlertRule#minSamples()} is compared to:
     * the labeled predictions for an outcome metric, the predictions recorded with features for a drift
     * metric, {@link #count()} for the others.
     *
     * @param metric a metric
     * @return its samples in this window
     */
    public long samples(Metric metric) {
        if (metric.isDriftMetric()) {
            return featureRows();
        }
        return metric.isOutcomeMetric() ? outcomes.labeled() : count();
    }

    /**
     * @param feature a feature of the schema
     * @return its column of the window's drift result; empty without a drift result or when the detector
     *     did not test that feature
     */
    public Optional<ColumnDrift> drift(String feature) {
        Objects.requireNonNull(feature, "feature");
        return drift.flatMap(d -> d.columns().stream().filter(c -> c.column().equals(feature)).findFirst());
    }

    /**
     * @param outcomesNow the outcomes to carry instead (a closed window's metrics as joined so far)
     * @return this window with other outcomes
     */
    WindowSnapshot withOutcomes(WindowOutcomes outcomesNow) {
        return new WindowSnapshot(start, end, predictions, failures, latencyNanos, score, predictedClasses, numeric,
                categorical, outcomesNow, drift);
    }

    /**
     * @param result the window's drift result
     * @return this window carrying it
     */
    WindowSnapshot withDrift(Optional<DatasetDriftResult> result) {
        return new WindowSnapshot(start, end, predictions, failures, latencyNanos, score, predictedClasses, numeric,
                categorical, outcomes, result);
    }

    /** @return the predictions recorded with features: every feature counts each of them once, missing or not */
    long featureRows() {
        if (!numeric.isEmpty()) {
            return numeric.get(0).total();
        }
        return categorical.isEmpty() ? 0 : categorical.get(0).total();
    }

    private double classification(ToDoubleFunction<ClassificationSnapshot> f) {
        return outcomes.classification().map(c -> f.applyAsDouble(c)).orElse(Double.NaN);
    }

    private double regression(ToDoubleFunction<RegressionSnapshot> f) {
        return outcomes.regression().map(r -> f.applyAsDouble(r)).orElse(Double.NaN);
    }

    /**
     * Combines two windows over disjoint traffic (replicas of one service, or consecutive windows of one
     * monitor): the span covers both, every count and sketch bucket adds. Drift results do not merge: the
     * merged window has none (test the fleet's drift on a collector from the merged counts, or keep each
     * replica's result).
     *
     * @param other a window of a monitor with the same schema and layouts
     * @return the window of both
     * @throws IllegalArgumentException if the features or layouts differ
     */
    public WindowSnapshot merge(WindowSnapshot other) {
        Objects.requireNonNull(other, "other");
        if (numeric.size() != other.numeric.size() || categorical.size() != other.categorical.size()) {
            throw new IllegalArgumentException("cannot merge windows of different schemas: " + numeric.size() + "+"
                    + categorical.size() + " and " + other.numeric.size() + "+" + other.categorical.size() + " features");
        }
        List<NumericSummary> n = new ArrayList<>(numeric.size());
        for (int i = 0; i < numeric.size(); i++) {
            n.add(numeric.get(i).merge(other.numeric.get(i)));
        }
        List<CategoricalSummary> c = new ArrayList<>(categorical.size());
        for (int i = 0; i < categorical.size(); i++) {
            c.add(categorical.get(i).merge(other.categorical.get(i)));
        }
        Instant s = start.isBefore(other.start) ? start : other.start;
        Instant e = end.isAfter(other.end) ? end : other.end;
        return new WindowSnapshot(s, e, predictions + other.predictions, failures + other.failures,
                latencyNanos.merge(other.latencyNanos), score.merge(other.score),
                predictedClasses.merge(other.predictedClasses), n, c,
                outcomes.merge(other.outcomes));
    }

    private double missingRate() {
        long missing = 0;
        long total = 0;
        for (NumericSummary s : numeric) {
            missing += s.missing();
            total += s.total();
        }
        for (CategoricalSummary s : categorical) {
            missing += s.missing();
            total += s.total();
        }
        return total == 0 ? Double.NaN : (double) missing / total;
    }
}
