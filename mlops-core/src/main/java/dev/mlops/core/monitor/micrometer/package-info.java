/**
 * The monitor's window metrics as Micrometer meters ({@link dev.mlops.core.monitor.micrometer.MonitorMeters}),
 * for services that already export metrics through Micrometer, Prometheus among them. Needs
 * {@code io.micrometer:micrometer-core} on the class path, an optional dependency of mlops-core.
 *
 * <pre>{@code
 * MonitorMeters.of(monitor, Tags.of("model", "fraud-scorer", "version", "7")).bindTo(meterRegistry);
 * }</pre>
 */
package dev.mlops.core.monitor.micrometer;
