package dev.mlops.drift.stream;

import java.util.HashSet;
import java.util.Set;

/**
 * Validation and set-once bookkeeping shared by the detector builders. Package-private: users
 * only see the builders' own methods.
 */
final class Options {
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

    static double openUnit(String name, double value) {
        if (!(value > 0.0 && value < 1.0)) {
            throw new IllegalArgumentException(name + " must be in (0, 1), was " + value);
        }
        return value;
    }

    static double halfOpenUnit(String name, double value) {
        if (!(value > 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException(name + " must be in (0, 1], was " + value);
        }
        return value;
    }

    static double positive(String name, double value) {
        if (!(value > 0.0) || value == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(name + " must be finite and > 0, was " + value);
        }
        return value;
    }

    static double nonNegative(String name, double value) {
        if (!(value >= 0.0) || value == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, was " + value);
        }
        return value;
    }

    static double finite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite, was " + value);
        }
        return value;
    }

    static int atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", was " + value);
        }
        return value;
    }

    static <T> T notNull(String name, T value) {
        if (value == null) {
            throw new NullPointerException(name + " must not be null");
        }
        return value;
    }

    /** The check every {@code update} runs first: the contract rejects NaN, and infinities break every bound. */
    static double finiteInput(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value must be finite, was " + value);
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
