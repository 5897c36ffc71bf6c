/**
 * The statistics behind {@code mlops-drift}'s public detectors: two-sample tests, contingency tests,
 * distances and binning, each checked against SciPy (and Evidently's binning rules) by known-answer
 * tests. Not exported; the public entry points are in {@code dev.mlops.drift}.
 */
package dev.mlops.drift.internal;
