/**
 * Drift reports: {@link dev.mlops.drift.report.DriftReport#of} turns a
 * {@link dev.mlops.core.drift.dataset.DatasetDriftResult} and a
 * {@link dev.mlops.drift.report.ReportHeader} (dataset, model version, window) into documented JSON and
 * one self-contained HTML page with inline SVG charts of the bins each verdict came from.
 */
package dev.mlops.drift.report;
