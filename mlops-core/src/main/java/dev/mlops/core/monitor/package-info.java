/**
 * Production monitoring contracts: {@link dev.mlops.core.monitor.Monitor} records predictions and
 * outcomes against a {@link dev.mlops.core.monitor.FeatureSchema} and raises
 * {@link dev.mlops.core.monitor.Alert}s from {@link dev.mlops.core.monitor.AlertRule}s.
 * {@link dev.mlops.core.monitor.Monitor#noop()} records nothing; the in-memory monitor comes with
 * its own issue.
 */
package dev.mlops.core.monitor;
