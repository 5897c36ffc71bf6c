/**
 * Production monitoring: {@link dev.mlops.core.monitor.Monitor} records predictions against a
 * {@link dev.mlops.core.monitor.FeatureSchema} on the serving thread and answers
 * {@link dev.mlops.core.monitor.MonitorSnapshot}s of tumbling windows
 * ({@link dev.mlops.core.monitor.WindowSnapshot}: latency quantiles, score and feature distributions,
 * data-quality counts), mergeable across replicas.
 *
 * <p>Entry points: {@link dev.mlops.core.monitor.Monitor#builder(FeatureSchema)} for the lock-free,
 * allocation-free {@link dev.mlops.core.monitor.InMemoryMonitor}, {@link dev.mlops.core.monitor.Monitor#noop()},
 * and {@link dev.mlops.core.monitor.QuantileSketch} on its own for any latency.
 */
package dev.mlops.core.monitor;
