package dev.mlops.core.monitor;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * When to raise an {@link Alert}: a {@link WindowSignal} (any window {@link Metric}, or a feature's
 * {@link FeatureSignal}) above or below a threshold in a number of consecutive closed windows, at most
 * once per cooldown. An immutable value; the withers return changed copies.
 *
 * <pre>{@code
 * AlertRule.when(Metric.LATENCY_P99).above(50, TimeUnit.MILLISECONDS).forWindows(3).cooldown(Duration.ofMinutes(30));
 * AlertRule.when(Metric.FAILURE_RATE).above(0.01).minSamples(100);
 * AlertRule.when(Metric.ACCURACY).below(0.9).minSamples(200).lagWindows(2);   // labels take two windows
 * AlertRule.when(WindowSignal.missingRate("amount")).above(0.05);
 * }</pre>
 *
 * <p><b>Evaluation</b>, each time a window closes:
 * <ol>
 *   <li>The rule reads the window that closed {@link #lagWindows()} windows before the one that just
 *       closed (0: that one). A lag gives late labels time to arrive before an outcome metric is judged;
 *       the window is read with the outcomes joined to it so far.
 *   <li>A window with fewer than {@link #minSamples()} samples ({@link WindowSignal#samples}: predictions, or
 *       labeled predictions for an outcome metric, or a feature's values), or whose value is NaN, is
 *       <i>skipped</i>: it neither breaks nor extends the run of breaching windows. A quiet hour at night
 *       with too little data to judge says nothing either way; so a run is of consecutive windows that
 *       could be judged.
 *   <li>A judged window breaches when its value is strictly above (or below) the threshold; it extends
 *       the run, and a judged window that does not breach ends it.
 *   <li>When the run reaches {@link #forWindows()}, the rule fires, unless it fired less than
 *       {@link #cooldown()} ago (by the monitor's clock); it fires again on each later breaching window
 *       of the run once the cooldown has passed. With no cooldown it fires on every breaching window
 *       from the {@code forWindows}-th on, as Prometheus repeats a firing alert.
 * </ol>
 *
 * @param signal what to watch
 * @param above true to fire above the threshold, false to fire below it
 * @param threshold the level, finite (nanoseconds for latencies)
 * @param minSamples the fewest samples a window needs to be judged, at least 0
 * @param forWindows consecutive judged windows the condition must hold, at least 1
 * @param cooldown the least time between two alerts of this rule, not negative
 * @param lagWindows how many windows after a window closed it is judged, at least 0
 */
public record AlertRule(WindowSignal signal, boolean above, double threshold, long minSamples, int forWindows,
        Duration cooldown, int lagWindows) {
    /**
     * Validates the parts.
     *
     * @param signal what to watch
     * @param above true to fire above the threshold, false to fire below it
     * @param threshold the level, finite (nanoseconds for latencies)
     * @param minSamples the fewest samples a window needs to be judged, at least 0
     * @param forWindows consecutive judged windows the condition must hold, at least 1
     * @param cooldown the least time between two alerts of this rule, not negative
     * @param lagWindows how many windows after a window closed it is judged, at least 0
     */
    public AlertRule {
        Objects.requireNonNull(signal, "signal");
        Objects.requireNonNull(cooldown, "cooldown");
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("threshold for " + signal.name() + " must be finite, was " + threshold);
        }
        if (minSamples < 0) {
            throw new IllegalArgumentException("minSamples must be >= 0, was " + minSamples);
        }
        if (forWindows < 1) {
            throw new IllegalArgumentException("forWindows must be >= 1, was " + forWindows);
        }
        if (cooldown.isNegative()) {
            throw new IllegalArgumentException("cooldown must not be negative, was " + cooldown);
        }
        if (lagWindows < 0) {
            throw new IllegalArgumentException("lagWindows must be >= 0, was " + lagWindows);
        }
    }

    /**
     * @param signal what to watch: a {@link Metric}, a {@link FeatureSignal}, or a signal of one's own
     * @return the first step of a rule
     */
    public static Start when(WindowSignal signal) {
        return new Start(Objects.requireNonNull(signal, "signal"));
    }

    /**
     * @param windows consecutive judged windows, at least 1
     * @return this rule needing that many
     */
    public AlertRule forWindows(int windows) {
        return new AlertRule(signal, above, threshold, minSamples, windows, cooldown, lagWindows);
    }

    /**
     * @param samples the fewest samples a window needs to be judged, at least 0
     * @return this rule with that minimum
     */
    public AlertRule minSamples(long samples) {
        return new AlertRule(signal, above, threshold, samples, forWindows, cooldown, lagWindows);
    }

    /**
     * @param pause least time between alerts, not negative
     * @return this rule with that cooldown
     */
    public AlertRule cooldown(Duration pause) {
        return new AlertRule(signal, above, threshold, minSamples, forWindows, pause, lagWindows);
    }

    /**
     * @param windows how many windows after a window closed it is judged, at least 0 and fewer than the
     *     monitor keeps
     * @return this rule with that lag
     */
    public AlertRule lagWindows(int windows) {
        return new AlertRule(signal, above, threshold, minSamples, forWindows, cooldown, windows);
    }

    /**
     * @param value the signal's value in a window
     * @return whether the condition holds; NaN never holds
     */
    public boolean breached(double value) {
        return above ? value > threshold : value < threshold;
    }

    /**
     * @return the rule in words, such as {@code LATENCY_P99 above 5.0E7 for 3 windows}, with the minimum
     *     samples, cooldown and lag when set
     */
    public String describe() {
        StringBuilder b = new StringBuilder().append(signal.name()).append(above ? " above " : " below ")
                .append(threshold).append(" for ").append(forWindows).append(forWindows == 1 ? " window" : " windows");
        if (minSamples > 0) {
            b.append(", at least ").append(minSamples).append(" samples");
        }
        if (!cooldown.isZero()) {
            b.append(", cooldown ").append(cooldown);
        }
        if (lagWindows > 0) {
            b.append(", judged ").append(lagWindows).append(" windows late");
        }
        return b.toString();
    }

    /** The signal chosen, the comparison not yet. */
    public static final class Start {
        private final WindowSignal signal;

        private Start(WindowSignal signal) {
            this.signal = signal;
        }

        /**
         * @param threshold level, finite
         * @return a rule firing above it: 1 window, no minimum samples, no cooldown, no lag
         */
        public AlertRule above(double threshold) {
            return new AlertRule(signal, true, threshold, 0, 1, Duration.ZERO, 0);
        }

        /**
         * @param threshold level, finite
         * @return a rule firing below it: 1 window, no minimum samples, no cooldown, no lag
         */
        public AlertRule below(double threshold) {
            return new AlertRule(signal, false, threshold, 0, 1, Duration.ZERO, 0);
        }

        /**
         * @param amount duration
         * @param unit its unit
         * @return a rule firing above it in nanoseconds (latencies)
         */
        public AlertRule above(long amount, TimeUnit unit) {
            return above((double) unit.toNanos(amount));
        }
    }
}
