/**
 * Batch drift detection. Entry points: {@link dev.mlops.drift.DriftDetectors} (one column, any
 * {@link dev.mlops.drift.StatTest}), {@link dev.mlops.drift.DatasetDrift} (a whole
 * {@link dev.mlops.core.drift.dataset.Dataset}, tests chosen per column, multiple-testing correction, share rule;
 * its reference saved and loaded as JSON with {@link dev.mlops.drift.DatasetReference}) and
 * {@link dev.mlops.drift.MultivariateDrift} (MMD permutation test, PCA reconstruction error over rows).
 *
 * <pre>{@code
 * DriftDetector ks = DriftDetectors.kolmogorovSmirnov(Reference.numeric(trainAmounts));
 * DriftResult r = ks.detect(Sample.numeric(lastHourAmounts));     // statistic, p-value, verdict
 * DatasetDriftResult all = DatasetDrift.builder(DatasetReference.of(trainingTable)).build().detect(lastHour);
 * }</pre>
 */
package dev.mlops.drift;
