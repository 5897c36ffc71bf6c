/**
 * Drift reports: {@link dev.mlops.drift.report.DriftReport#of} turns a
 * {@link dev.mlops.core.drift.dataset.DatasetDriftResult} and a
 * {@link dev.mlops.drift.report.ReportHeader} (dataset, model version, window) into documented JSON and
 * one self-contained HTML page with inline SVG charts of the bins each verdict came from.
 *
 * <pre>{@code
 * DriftReport report = DriftReport.of(result, ReportHeader.builder("card transactions", Instant.now()).build());
 * Files.writeString(Path.of("drift.html"), report.toHtml());
 * Files.writeString(Path.of("drift.json"), report.toJson());
 * }</pre>
 */
package dev.mlops.drift.report;
