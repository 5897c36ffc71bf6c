package dev.mlops.drift.stream;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Set;

/**
 * Validation and set-once bookkeeping shared by the detector builders: every option is set
 * through one of the instance methods, which records it and checks its documented range, naming
 * the option in a one-line message. Package-private: users only see the builders' own methods.
 */
final class Options {
    /**
     * The largest magnitude of an input to the real-valued detectors (and of {@code delta} where
     * it is summed with them). Sums of squared deviations of up to 2^63 such inputs stay finite,
     * so every estimate and every statistic behind a decision does; beyond it, no change
     * detection is meaningful in a double anyway.
     */
    static final double MAX_MAGNITUDE = 1e100;

    private final Set<String> explicitlySet = new HashSet<>();
    private String preset = "";

    /**
     * Records that {@code option} is being set; builders fail fast on a second call so that a
     * typo in a long chain cannot silently override an earlier value.
     */
    void mark(String option) {
        if (!explicitlySet.add(option)) {
            throw new IllegalStateException(option + " is already set on this builder");
        }
    }

    /** Records that a tool preset is applied; a preset is a starting point, so it comes first. */
    void preset(String name) {
        if (!preset.isEmpty()) {
            throw new IllegalStateException(
                    "preset " + preset + "() is already applied; call " + name + "() only on a fresh builder");
        }
        if (!explicitlySet.isEmpty()) {
            throw new IllegalStateException(
                    name + "() must be called before any explicit option, but " + explicitlySet + " were set");
        }
        preset = name;
    }

    boolean isSet(String option) {
        return explicitlySet.contains(option);
    }

    /** Sets an int option whose range is [min, max]. */
    int intIn(String name, int value, int min, int max) {
        mark(name);
        return intIn(name, value, min, max, "");
    }

    /** Sets a double option whose range has the given ends; NaN is always out of range. */
    double doubleIn(String name, double value, double min, boolean minClosed, double max, boolean maxClosed) {
        mark(name);
        return doubleRange(name, value, min, minClosed, max, maxClosed);
    }

    /** Sets a probability-like option in (0, 1). */
    double openUnit(String name, double value) {
        return doubleIn(name, value, 0.0, false, 1.0, false);
    }

    /** Sets a weight in (0, 1]. */
    double halfOpenUnit(String name, double value) {
        return doubleIn(name, value, 0.0, false, 1.0, true);
    }

    /** Sets a multiple or threshold that is only compared: finite and > 0. */
    double positive(String name, double value) {
        return doubleIn(name, value, 0.0, false, Double.MAX_VALUE, true);
    }

    /**
     * Sets a confidence δ that enters a bound as ln(1/δ): in [1e-100, 1), so that the logarithm
     * and the bound are finite (a subnormal δ has no finite reciprocal).
     */
    double confidence(String name, double value) {
        return doubleIn(name, value, 1e-100, true, 1.0, false);
    }

    boolean flag(String name, boolean value) {
        mark(name);
        return value;
    }

    <T> T object(String name, T value) {
        mark(name);
        return notNull(name, value);
    }

    /**
     * @param context what the range depends on, for example " (windowSize / 2)", or empty
     */
    static int intIn(String name, int value, int min, int max, String context) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    name + " must be in [" + min + ", " + max + "]" + context + ", was " + value);
        }
        return value;
    }

    static double doubleRange(String name, double value, double min, boolean minClosed, double max, boolean maxClosed) {
        boolean aboveMin = minClosed ? value >= min : value > min;
        boolean belowMax = maxClosed ? value <= max : value < max;
        if (!(aboveMin && belowMax)) {
            throw new IllegalArgumentException(name + " must be in " + (minClosed ? "[" : "(") + bound(min) + ", "
                    + bound(max) + (maxClosed ? "]" : ")") + ", was " + value);
        }
        return value;
    }

    /** An end of a range as people write it: 0, 0.5, 1e100, 1e-100, Double.MAX_VALUE. */
    private static String bound(double end) {
        if (end == Double.MAX_VALUE) {
            return "Double.MAX_VALUE";
        }
        BigDecimal exact = BigDecimal.valueOf(end).stripTrailingZeros();
        String plain = exact.toPlainString();
        return plain.length() <= 12 ? plain : exact.toString().replace("E+", "e").replace("E", "e");
    }

    static <T> T notNull(String name, T value) {
        if (value == null) {
            throw new NullPointerException(name + " must not be null");
        }
        return value;
    }

    /**
     * The check every real-valued detector's {@code update} runs first: NaN, infinities and
     * magnitudes above {@link #MAX_MAGNITUDE} are refused, so that no sum can overflow.
     */
    static double realInput(double value) {
        if (!(Math.abs(value) <= MAX_MAGNITUDE)) {
            throw new IllegalArgumentException("value must be finite and within [-1e100, 1e100], was " + value);
        }
        return value;
    }

    /** Inputs of detectors whose bounds assume values in [0, 1] (error indicators, bounded losses). */
    static double unitInput(double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException("value must be in [0, 1] for this detector, was " + value);
        }
        return value;
    }

    /** Inputs of detectors defined on error indicators only. */
    static double binaryInput(double value) {
        if (value != 0.0 && value != 1.0) {
            throw new IllegalArgumentException("value must be 0 or 1 (an error indicator), was " + value);
        }
        return value;
    }
}
