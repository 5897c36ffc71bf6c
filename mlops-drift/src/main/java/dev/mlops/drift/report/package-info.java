/**
 * Drift reports: {@link dev.mlops.drift.report.DriftReport} turns a
 * {@link dev.mlops.drift.DatasetDriftResult} into JSON and into one self-contained HTML file with inline
 * SVG histograms of reference and current data.
 */
package dev.mlops.drift.report;
