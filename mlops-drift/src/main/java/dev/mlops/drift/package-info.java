/**
 * Batch drift detection: two-sample statistical tests and distances behind
 * {@link dev.mlops.core.drift.DriftDetector}.
 */
package dev.mlops.drift;
