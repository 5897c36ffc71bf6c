package dev.mlops.core.monitor;

import dev.mlops.core.drift.dataset.DatasetDriftResult;

/**
 * Tests each closed window of an {@link InMemoryMonitor} against a reference: the feature distributions
 * of the window, as binned counts and bounded samples (no raw rows), against the dataset the model was
 * trained on. The monitor asks once, when it is built, what to keep ({@link #plan(FeatureSchema)}), and
 * hands each closed window's data to {@link #detect(DriftWindow)}; the result becomes part of the window
 * ({@link WindowSnapshot#drift()}) and feeds drift alerts ({@link Metric#DRIFTED_SHARE},
 * {@link Metric#DATASET_DRIFT}, {@link WindowSignal#drifted(String)} and its siblings).
 *
 * <p>{@code mlops-drift}'s {@code MonitorDrift} implements it with the library's detectors:
 * <pre>{@code
 * InMemoryMonitor monitor = Monitor.builder(schema)
 *         .drift(MonitorDrift.against(DatasetReference.fromJson(savedReference)))
 *         .closeWindowsWith(scheduler)          // the tests then run on the scheduler, never on a serving thread
 *         .build();
 * }</pre>
 *
 * <p>Implementations must be thread-safe (two windows may close at once on different threads) and should
 * never throw on data: a feature that cannot be tested is a column with an
 * {@link dev.mlops.core.drift.Untestable} outcome. An exception thrown anyway is caught by the monitor,
 * logged, and leaves the window without a drift result; it never reaches a recording thread.
 */
public interface WindowDriftDetector {
    /**
     * Says what the monitor must keep of each window for {@link #detect}. Called once, by
     * {@link InMemoryMonitor.Builder#build()}.
     *
     * @param schema the monitor's features
     * @return the bins and samples to keep per numeric feature
     * @throws IllegalArgumentException when the detector cannot test this schema (a reference feature the
     *     schema lacks, or has as the other kind), naming the feature
     */
    DriftPlan plan(FeatureSchema schema);

    /**
     * Tests one closed window. Called on the thread that closes the window (the scheduler's task with
     * {@link InMemoryMonitor.Builder#closeWindowsWith}, otherwise the recording or snapshot that first
     * finds the clock past the window), once per window that recorded features.
     *
     * @param window the window's feature data, as the plan asked
     * @return each feature's outcome and the dataset's verdict
     */
    DatasetDriftResult detect(DriftWindow window);
}
