/**
 * Streaming change detectors behind {@link dev.mlops.core.drift.ChangeDetector}.
 */
package dev.mlops.drift.stream;
