package dev.mlops.core.monitor;

import java.time.Instant;
import java.util.Objects;

/**
 * A fired {@link AlertRule}.
 *
 * @param rule the rule
 * @param value the metric's value in the last window that breached it
 * @param windowEnd the end of that window
 * @param firedAt when the alert was raised
 */
public record Alert(AlertRule rule, double value, Instant windowEnd, Instant firedAt) {
    /** Checks the parts. */
    public Alert {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(windowEnd, "windowEnd");
        Objects.requireNonNull(firedAt, "firedAt");
    }
}
