/**
 * Drift detection contracts. Batch: {@link dev.mlops.core.drift.DriftDetector} compares a
 * {@link dev.mlops.core.drift.Sample} with a {@link dev.mlops.core.drift.Reference} prepared once and
 * returns a {@link dev.mlops.core.drift.DriftResult}, or an {@link dev.mlops.core.drift.Untestable} when the
 * data cannot be tested. Streaming: {@link dev.mlops.core.drift.ChangeDetector} takes one value at a time
 * and returns a {@link dev.mlops.core.drift.Signal}. Implementations live in {@code mlops-drift}.
 *
 * <pre>{@code
 * DriftDetector ks = DriftDetectors.kolmogorovSmirnov(Reference.numeric(trainAmounts));   // mlops-drift
 * DriftOutcome outcome = ks.evaluate(Sample.numeric(lastHourAmounts));
 * if (outcome instanceof DriftResult r && r.drifted()) alert(r);
 * if (outcome instanceof Untestable u) log(u.reason() + ": " + u.detail());               // too few values, ...
 *
 * ChangeDetector adwin = Adwin.builder().build();                                      // mlops-drift
 * if (adwin.update(wrong).isDrift()) retrain();                                        // one prediction's error
 * }</pre>
 */
package dev.mlops.core.drift;
