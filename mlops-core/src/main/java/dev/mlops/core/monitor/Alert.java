package dev.mlops.core.monitor;

import java.time.Instant;
import java.util.Objects;

/**
 * A fired {@link AlertRule}: the rule, the value that breached it, the window it was read from, how many
 * consecutive judged windows have breached, and when it fired.
 *
 * @param rule the rule
 * @param value the signal's value in the window that breached it last
 * @param windowStart the start of that window
 * @param windowEnd the end of that window
 * @param consecutiveWindows how many consecutive judged windows breached, that one included; at least the
 *     rule's {@link AlertRule#forWindows()}
 * @param firedAt when the alert was raised, by the monitor's clock
 */
public record Alert(AlertRule rule, double value, Instant windowStart, Instant windowEnd, int consecutiveWindows,
        Instant firedAt) {
    /**
     * Checks the parts.
     *
     * @param rule the rule
     * @param value the signal's value in the window that breached it last
     * @param windowStart the start of that window
     * @param windowEnd the end of that window
     * @param consecutiveWindows how many consecutive judged windows breached, that one included; at least the rule's
     *     {@link AlertRule#forWindows()}
     * @param firedAt when the alert was raised, by the monitor's clock
     */
    public Alert {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(windowStart, "windowStart");
        Objects.requireNonNull(windowEnd, "windowEnd");
        Objects.requireNonNull(firedAt, "firedAt");
        if (consecutiveWindows < 1) {
            throw new IllegalArgumentException("consecutiveWindows must be >= 1, was " + consecutiveWindows);
        }
    }

    /** @return the alert in words: the rule, the value and the window */
    public String describe() {
        return rule.describe() + ": " + value + " in window [" + windowStart + ", " + windowEnd + "), "
                + consecutiveWindows + " consecutive";
    }
}
