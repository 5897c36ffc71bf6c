package dev.mlops.core.monitor;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * When to raise an {@link Alert}: a metric above or below a threshold for a number of consecutive
 * windows, at most once per cooldown.
 *
 * <pre>{@code
 * AlertRule.when(Metric.LATENCY_P99).above(50, TimeUnit.MILLISECONDS).forWindows(3).cooldown(Duration.ofMinutes(30));
 * AlertRule.when(Metric.FAILURE_RATE).above(0.01);
 * }</pre>
 *
 * @param metric what to watch
 * @param above true to fire above the threshold, false to fire below it
 * @param threshold the level (nanoseconds for latencies)
 * @param forWindows consecutive windows the condition must hold, at least 1
 * @param cooldown the least time between two alerts of this rule
 */
public record AlertRule(Metric metric, boolean above, double threshold, int forWindows, Duration cooldown) {
    /** Validates the parts. */
    public AlertRule {
        Objects.requireNonNull(metric, "metric");
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("threshold for " + metric + " must be finite, was " + threshold);
        }
        if (forWindows < 1) {
            throw new IllegalArgumentException("forWindows must be >= 1, was " + forWindows);
        }
        if (cooldown.isNegative()) {
            throw new IllegalArgumentException("cooldown must not be negative, was " + cooldown);
        }
    }

    /**
     * @param metric what to watch
     * @return the first step of a rule
     */
    public static Start when(Metric metric) {
        return new Start(Objects.requireNonNull(metric, "metric"));
    }

    /**
     * @param windows consecutive windows
     * @return this rule needing that many
     */
    public AlertRule forWindows(int windows) {
        return new AlertRule(metric, above, threshold, windows, cooldown);
    }

    /**
     * @param pause least time between alerts
     * @return this rule with that cooldown
     */
    public AlertRule cooldown(Duration pause) {
        return new AlertRule(metric, above, threshold, forWindows, pause);
    }

    /**
     * @param value the metric's value in a window
     * @return whether the condition holds; NaN never holds
     */
    public boolean breached(double value) {
        return above ? value > threshold : value < threshold;
    }

    /** The metric chosen, the comparison not yet. */
    public static final class Start {
        private final Metric metric;

        private Start(Metric metric) {
            this.metric = metric;
        }

        /**
         * @param threshold level
         * @return a rule firing above it, for 1 window, no cooldown
         */
        public AlertRule above(double threshold) {
            return new AlertRule(metric, true, threshold, 1, Duration.ZERO);
        }

        /**
         * @param threshold level
         * @return a rule firing below it, for 1 window, no cooldown
         */
        public AlertRule below(double threshold) {
            return new AlertRule(metric, false, threshold, 1, Duration.ZERO);
        }

        /**
         * @param amount duration
         * @param unit its unit
         * @return a rule firing above it (latencies)
         */
        public AlertRule above(long amount, TimeUnit unit) {
            return above((double) unit.toNanos(amount));
        }
    }
}
