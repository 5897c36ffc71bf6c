package dev.mlops.drift.stream;

import dev.mlops.core.drift.ChangeDetector;
import dev.mlops.core.drift.Signal;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * A seeded protocol for comparing change detectors on synthetic streams with a known change point:
 * each of {@code runs} streams is generated from its own split of {@code new SplittableRandom(seed)},
 * fed to a fresh detector, and scored.
 *
 * <p><b>Measures</b> (the usual ones, as in MOA's and River's evaluations):
 * <ul>
 *   <li><b>false alarms per 10,000 inputs</b>: {@link Signal#DRIFT}s before the change point,
 *       per 10,000 inputs before it (for a stationary scenario, the whole stream);</li>
 *   <li><b>mean detection delay</b>: over the runs that detected, the inputs from the change point
 *       to the first DRIFT at or after it (0 = on the first changed input);</li>
 *   <li><b>missed detections</b>: runs with no DRIFT within {@code maxDelay} inputs of the change
 *       point (or before the stream ends).</li>
 * </ul>
 * The result is deterministic for a given seed, detector and scenario.
 *
 * <p>Thread-safe (immutable); each call builds its own detectors and streams.
 *
 * <pre>{@code
 * var evaluation = new DetectorEvaluation(100, 42, 1_000);
 * var result = evaluation.evaluate("adwin", () -> Adwin.builder().build(),
 *         new DetectorEvaluation.BernoulliStep(5_000, 2_500, 0.2, 0.5));
 * double delay = result.meanDelay();
 * }</pre>
 *
 * @param runs the number of independent streams, in [1, 1,000,000]
 * @param seed the seed of the first stream's generator; streams derive from it
 * @param maxDelay the longest delay still counted as a detection, in [1, 2^31 - 1]
 */
public record DetectorEvaluation(int runs, long seed, int maxDelay) {
    private static final int MAX_RUNS = 1_000_000;
    /** One stream is held at a time: 80 MB at this length. */
    private static final int MAX_LENGTH = 10_000_000;
    /**
     * Means and standard deviations of Gaussian scenarios: far below the detectors' input limit of
     * 1e100 even for the largest Gaussian draws, so a generated value is never refused.
     */
    private static final double MAX_GAUSSIAN = 1e50;

    /**
     * @param runs the number of independent streams, in [1, 1,000,000]
     * @param seed the seed of the first stream's generator
     * @param maxDelay the longest delay still counted as a detection, in [1, 2^31 - 1]
     * @throws IllegalArgumentException if runs or maxDelay is out of range
     */
    public DetectorEvaluation {
        Options.intIn("runs", runs, 1, MAX_RUNS, "");
        Options.intIn("maxDelay", maxDelay, 1, Integer.MAX_VALUE, "");
    }

    /**
     * Scores a detector on a scenario.
     *
     * @param detector a name for the report
     * @param factory makes a fresh detector for each run
     * @param scenario the streams to generate
     * @return the measures over all runs
     * @throws NullPointerException if an argument or a detector made by the factory is null
     */
    public Result evaluate(String detector, Supplier<? extends ChangeDetector> factory, Scenario scenario) {
        Options.notNull("detector", detector);
        Options.notNull("factory", factory);
        Options.notNull("scenario", scenario);
        SplittableRandom root = new SplittableRandom(seed);
        double[] stream = new double[scenario.length()];
        int changeAt = scenario.changeAt();
        boolean hasChange = changeAt < stream.length;
        long falseAlarms = 0;
        int detected = 0;
        int missed = 0;
        long delaySum = 0;
        for (int run = 0; run < runs; run++) {
            scenario.fill(root.split(), stream);
            ChangeDetector d = Options.notNull("factory result", factory.get());
            int firstDetection = -1;
            for (int i = 0; i < stream.length; i++) {
                if (d.update(stream[i]) != Signal.DRIFT) {
                    continue;
                }
                if (i < changeAt) {
                    falseAlarms++;
                } else {
                    firstDetection = i;
                    break;
                }
            }
            if (!hasChange) {
                continue;
            }
            if (firstDetection >= 0 && firstDetection - changeAt < maxDelay) {
                detected++;
                delaySum += firstDetection - changeAt;
            } else {
                missed++;
            }
        }
        long inputsBeforeChange = (long) runs * changeAt;
        double meanDelay = detected == 0 ? Double.NaN : (double) delaySum / detected;
        return new Result(detector, scenario.name(), runs, inputsBeforeChange, falseAlarms,
                hasChange ? runs : 0, detected, missed, meanDelay);
    }

    /**
     * The measures of one detector on one scenario.
     *
     * @param detector the detector's name
     * @param scenario the scenario's name
     * @param runs streams fed
     * @param inputsBeforeChange inputs before the change point, over all runs
     * @param falseAlarms DRIFT signals before the change point, over all runs
     * @param runsWithChange runs whose stream has a change point (0 for a stationary scenario)
     * @param detected runs that detected the change within the allowed delay
     * @param missed runs that did not
     * @param meanDelay mean delay of the detecting runs, NaN when none detected
     */
    public record Result(String detector, String scenario, int runs, long inputsBeforeChange, long falseAlarms,
            int runsWithChange, int detected, int missed, double meanDelay) {
        /**
         * @param detector the detector's name
         * @param scenario the scenario's name
         * @param runs streams fed, >= 1
         * @param inputsBeforeChange inputs before the change point, over all runs
         * @param falseAlarms DRIFT signals before the change point, over all runs
         * @param runsWithChange runs whose stream has a change point
         * @param detected runs that detected the change within the allowed delay
         * @param missed runs that did not; detected + missed = runsWithChange
         * @param meanDelay mean delay of the detecting runs, NaN when none detected
         * @throws IllegalArgumentException if the counts are inconsistent
         */
        public Result {
            Options.notNull("detector", detector);
            Options.notNull("scenario", scenario);
            if (runs < 1 || inputsBeforeChange < 0 || falseAlarms < 0 || detected < 0 || missed < 0
                    || detected + missed != runsWithChange || runsWithChange > runs) {
                throw new IllegalArgumentException("inconsistent counts: runs=" + runs + ", inputsBeforeChange="
                        + inputsBeforeChange + ", falseAlarms=" + falseAlarms + ", runsWithChange=" + runsWithChange
                        + ", detected=" + detected + ", missed=" + missed);
            }
        }

        /** @return false alarms per 10,000 inputs before the change point, NaN if there were none */
        public double falseAlarmsPer10k() {
            return inputsBeforeChange == 0 ? Double.NaN : falseAlarms * 10_000.0 / inputsBeforeChange;
        }

        /** @return the share of runs with a change that missed it, NaN for a stationary scenario */
        public double missedRate() {
            return runsWithChange == 0 ? Double.NaN : (double) missed / runsWithChange;
        }
    }

    /** A family of seeded synthetic streams with a known change point. */
    public sealed interface Scenario permits BernoulliStep, GaussianShift, GradualDrift {
        /** @return a short name for reports */
        String name();

        /** @return the length of each stream */
        int length();

        /**
         * @return the index of the first changed input; {@link #length()} when the stream is stationary
         */
        int changeAt();

        /**
         * Writes one stream.
         *
         * @param random the stream's generator
         * @param into an array of {@link #length()} values
         */
        void fill(SplittableRandom random, double[] into);

        /**
         * @param length stream length, in [1, 10,000,000] (one stream is held in memory, 8 bytes an input)
         * @param p the error probability throughout, in [0, 1]
         * @return a stationary Bernoulli scenario (for false alarms)
         */
        static Scenario stationaryBernoulli(int length, double p) {
            return new BernoulliStep(length, length, p, p);
        }

        /**
         * @param length stream length, in [1, 10,000,000] (one stream is held in memory, 8 bytes an input)
         * @param mean the mean throughout, in [-1e50, 1e50]
         * @param sd the standard deviation, in (0, 1e50]
         * @return a stationary Gaussian scenario (for false alarms)
         */
        static Scenario stationaryGaussian(int length, double mean, double sd) {
            return new GaussianShift(length, length, mean, mean, sd);
        }
    }

    /**
     * 0/1 inputs, Bernoulli(before) up to the change point and Bernoulli(after) from it.
     *
     * @param length stream length, in [1, 10,000,000] (one stream is held in memory, 8 bytes an input)
     * @param changeAt first changed index, in [0, length]
     * @param before probability of 1 before, in [0, 1]
     * @param after probability of 1 after, in [0, 1]
     */
    public record BernoulliStep(int length, int changeAt, double before, double after) implements Scenario {
        /**
         * @param length stream length, in [1, 10,000,000] (one stream is held in memory, 8 bytes an input)
         * @param changeAt first changed index, in [0, length]
         * @param before probability of 1 before, in [0, 1]
         * @param after probability of 1 after, in [0, 1]
         * @throws IllegalArgumentException if an argument is out of range
         */
        public BernoulliStep {
            checkShape(length, changeAt);
            checkProbability("before", before);
            checkProbability("after", after);
        }

        @Override
        public String name() {
            return changeAt == length ? "bernoulli(" + before + ")" : "bernoulli " + before + "->" + after + " @" + changeAt;
        }

        @Override
        public void fill(SplittableRandom random, double[] into) {
            for (int i = 0; i < length; i++) {
                into[i] = random.nextDouble() < (i < changeAt ? before : after) ? 1.0 : 0.0;
            }
        }
    }

    /**
     * Gaussian inputs whose mean jumps at the change point.
     *
     * @param length stream length, in [1, 10,000,000] (one stream is held in memory, 8 bytes an input)
     * @param changeAt first changed index, in [0, length]
     * @param meanBefore mean before, in [-1e50, 1e50]
     * @param meanAfter mean after, in [-1e50, 1e50]
     * @param sd standard deviation throughout, in (0, 1e50]
     */
    public record GaussianShift(int length, int changeAt, double meanBefore, double meanAfter, double sd)
            implements Scenario {
        /**
         * @param length stream length, in [1, 10,000,000] (one stream is held in memory, 8 bytes an input)
         * @param changeAt first changed index, in [0, length]
         * @param meanBefore mean before, in [-1e50, 1e50]
         * @param meanAfter mean after, in [-1e50, 1e50]
         * @param sd standard deviation throughout, in (0, 1e50]
         * @throws IllegalArgumentException if an argument is out of range
         */
        public GaussianShift {
            checkShape(length, changeAt);
            Options.doubleRange("meanBefore", meanBefore, -MAX_GAUSSIAN, true, MAX_GAUSSIAN, true);
            Options.doubleRange("meanAfter", meanAfter, -MAX_GAUSSIAN, true, MAX_GAUSSIAN, true);
            Options.doubleRange("sd", sd, 0.0, false, MAX_GAUSSIAN, true);
        }

        @Override
        public String name() {
            return changeAt == length
                    ? "gaussian(" + meanBefore + ", " + sd + ")"
                    : "gaussian " + meanBefore + "->" + meanAfter + " sd " + sd + " @" + changeAt;
        }

        @Override
        public void fill(SplittableRandom random, double[] into) {
            for (int i = 0; i < length; i++) {
                into[i] = (i < changeAt ? meanBefore : meanAfter) + sd * random.nextGaussian();
            }
        }
    }

    /**
     * 0/1 inputs whose probability of 1 moves linearly from {@code before} to {@code after} over
     * {@code width} inputs starting at the change point (a gradual drift).
     *
     * @param length stream length, in [1, 10,000,000] (one stream is held in memory, 8 bytes an input)
     * @param changeAt first changed index, in [0, length)
     * @param width inputs over which the probability moves, in [1, 2^31 - 1]
     * @param before probability of 1 before, in [0, 1]
     * @param after probability of 1 at the end of the ramp and after, in [0, 1]
     */
    public record GradualDrift(int length, int changeAt, int width, double before, double after) implements Scenario {
        /**
         * @param length stream length, in [1, 10,000,000] (one stream is held in memory, 8 bytes an input)
         * @param changeAt first changed index, in [0, length)
         * @param width inputs over which the probability moves, in [1, 2^31 - 1]
         * @param before probability of 1 before, in [0, 1]
         * @param after probability of 1 at the end of the ramp and after, in [0, 1]
         * @throws IllegalArgumentException if an argument is out of range
         */
        public GradualDrift {
            checkShape(length, changeAt);
            if (changeAt == length) {
                throw new IllegalArgumentException("changeAt must be < length (" + length + ") for a drift, was " + changeAt);
            }
            Options.intIn("width", width, 1, Integer.MAX_VALUE, "");
            checkProbability("before", before);
            checkProbability("after", after);
        }

        @Override
        public String name() {
            return "gradual " + before + "->" + after + " over " + width + " @" + changeAt;
        }

        @Override
        public void fill(SplittableRandom random, double[] into) {
            for (int i = 0; i < length; i++) {
                double p;
                if (i < changeAt) {
                    p = before;
                } else if (i >= changeAt + width) {
                    p = after;
                } else {
                    p = before + (after - before) * (i - changeAt + 1) / width;
                }
                into[i] = random.nextDouble() < p ? 1.0 : 0.0;
            }
        }
    }

    private static void checkShape(int length, int changeAt) {
        Options.intIn("length", length, 1, MAX_LENGTH, "");
        if (changeAt < 0 || changeAt > length) {
            throw new IllegalArgumentException("changeAt must be in [0, " + length + "], was " + changeAt);
        }
    }

    private static void checkProbability(String name, double p) {
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], was " + p);
        }
    }
}
