/**
 * Production monitoring: {@link dev.mlops.core.monitor.Monitor} records predictions against a
 * {@link dev.mlops.core.monitor.FeatureSchema} on the serving thread and answers
 * {@link dev.mlops.core.monitor.MonitorSnapshot}s of tumbling windows
 * ({@link dev.mlops.core.monitor.WindowSnapshot}: latency quantiles, score and feature distributions,
 * data-quality counts, and {@link dev.mlops.core.monitor.WindowOutcomes}: the classification or
 * regression metrics of outcomes joined later by prediction id, and, with a
 * {@link dev.mlops.core.monitor.WindowDriftDetector}, each closed window's features tested against a
 * reference), mergeable across replicas; {@link dev.mlops.core.monitor.AlertRule}s on any window metric,
 * feature or drift result are judged as windows close.
 *
 * <pre>{@code
 * InMemoryMonitor monitor = Monitor.builder(schema).window(Duration.ofMinutes(5)).keepWindows(288)
 *         .binaryClassifier().build();
 * monitor.addAlert(AlertRule.when(Metric.ACCURACY).below(0.9).minSamples(200).lagWindows(2),
 *         AlertListener.logging());
 * monitor.record(requestId, score, latencyNanos, numeric, categories);   // serving thread
 * monitor.recordOutcome(requestId, 1);                                   // when the label arrives
 * double auc = monitor.snapshot().lastClosed().orElseThrow().value(Metric.AUC);
 * }</pre>
 *
 * <p>Entry points: {@link dev.mlops.core.monitor.Monitor#builder(FeatureSchema)} for the lock-free,
 * allocation-free {@link dev.mlops.core.monitor.InMemoryMonitor}, {@link dev.mlops.core.monitor.Monitor#noop()},
 * {@link dev.mlops.core.monitor.AlertRule#when(WindowSignal)} for alert rules,
 * {@link dev.mlops.core.monitor.InMemoryMonitor.Builder#drift(WindowDriftDetector)} for drift per window
 * ({@code mlops-drift}'s {@code MonitorDrift} implements the detector),
 * {@link dev.mlops.core.monitor.MonitorSnapshotJson} for snapshots that travel, and, on their own,
 * {@link dev.mlops.core.monitor.QuantileSketch} for any latency, {@link dev.mlops.core.monitor.PendingOutcomes}
 * for joining outcomes, {@link dev.mlops.core.monitor.ClassificationMetrics} and
 * {@link dev.mlops.core.monitor.RegressionMetrics} for outcome metrics.
 */
package dev.mlops.core.monitor;
