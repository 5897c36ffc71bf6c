package dev.mlops.core.monitor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Told when an {@link AlertRule} fires. Called on the thread that closed the window (a recording
 * thread, a snapshot, or the scheduler's task), after the monitor has released its locks: keep it quick,
 * and hand slow work (paging, retraining) to an executor. An exception it throws is caught and logged;
 * it does not stop the other listeners nor the monitor.
 *
 * <pre>{@code
 * monitor.addAlert(AlertRule.when(Metric.FAILURE_RATE).above(0.01), AlertListener.logging());
 * }</pre>
 */
@FunctionalInterface
public interface AlertListener {
    /** @param alert what fired */
    void onAlert(Alert alert);

    /**
     * @return a listener that logs each alert at WARN through SLF4J, on the logger
     *     {@code dev.mlops.core.monitor.Alert}, with the rule, the value and the window
     */
    static AlertListener logging() {
        Logger log = LoggerFactory.getLogger(Alert.class);
        return alert -> log.warn("alert: {}", alert.describe());
    }
}
