package dev.mlops.core.monitor;

/** Told when an {@link AlertRule} fires. Runs on the thread that closed the window; keep it quick. */
@FunctionalInterface
public interface AlertListener {
    /** @param alert what fired */
    void onAlert(Alert alert);
}
