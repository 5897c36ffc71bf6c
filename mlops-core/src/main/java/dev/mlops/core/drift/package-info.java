/**
 * Drift detection contracts. Batch: {@link dev.mlops.core.drift.DriftDetector} compares a
 * {@link dev.mlops.core.drift.Sample} with a {@link dev.mlops.core.drift.Reference} prepared once and
 * returns a {@link dev.mlops.core.drift.DriftResult}. Streaming:
 * {@link dev.mlops.core.drift.ChangeDetector} takes one value at a time and returns a
 * {@link dev.mlops.core.drift.Signal}. Implementations live in {@code mlops-drift}.
 */
package dev.mlops.core.drift;
