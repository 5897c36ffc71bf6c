/**
 * Drift of a whole table. {@link dev.mlops.core.drift.dataset.Dataset} is the one table type;
 * {@link dev.mlops.core.drift.dataset.DatasetDriftDetector} tests it column by column and returns a
 * {@link dev.mlops.core.drift.dataset.DatasetDriftResult} of
 * {@link dev.mlops.core.drift.dataset.ColumnDrift}s (each a result or a typed reason it could not be
 * tested, with {@link dev.mlops.core.drift.dataset.ColumnProfile}s of both sides);
 * {@link dev.mlops.core.drift.dataset.MultivariateDriftDetector} tests all numeric columns at once.
 * Implementations live in {@code mlops-drift}.
 *
 * <pre>{@code
 * Dataset training = Dataset.builder().numeric("amount", amounts).categorical("country", countries).build();
 * DatasetDriftDetector drift = DatasetDrift.against(training);                     // mlops-drift
 * DatasetDriftResult r = drift.detect(lastHour);
 * for (ColumnDrift c : r.columns()) {
 *     System.out.println(c.column() + " " + c.method() + (c.drifted() ? " drift" : ""));
 * }
 * if (r.drifted()) alert(r.driftedColumns() + " of " + r.testedColumns() + " columns drifted");
 * }</pre>
 */
package dev.mlops.core.drift.dataset;
