/**
 * Streaming change detectors behind {@link dev.mlops.core.drift.ChangeDetector}: feed one value at
 * a time, get {@link dev.mlops.core.drift.Signal#NONE}, {@code WARNING} or {@code DRIFT}.
 *
 * <p>Entry points, each with a {@code builder()}:
 * <ul>
 *   <li>any bounded or real-valued stream: {@link dev.mlops.drift.stream.Adwin},
 *       {@link dev.mlops.drift.stream.PageHinkley}, {@link dev.mlops.drift.stream.Cusum},
 *       {@link dev.mlops.drift.stream.Kswin};</li>
 *   <li>error rates or losses in [0, 1]: {@link dev.mlops.drift.stream.Ddm},
 *       {@link dev.mlops.drift.stream.HddmA}, {@link dev.mlops.drift.stream.HddmW},
 *       {@link dev.mlops.drift.stream.EwmaChart}; error indicators only:
 *       {@link dev.mlops.drift.stream.Eddm};</li>
 *   <li>comparing detectors on seeded synthetic streams:
 *       {@link dev.mlops.drift.stream.DetectorEvaluation}.</li>
 * </ul>
 *
 * <p>Builders start from the reference defaults and offer {@code river()} / {@code moa()} presets
 * that reproduce the detection indices River and MOA publish; the options behind each preset
 * (one- or two-sided tests, reporting decreases, reset after drift, warm-up lengths, clock) can
 * also be set one by one. Detectors are not thread-safe: one per stream.
 *
 * <p><b>Untrusted options and inputs.</b> Every builder option documents its range and is
 * checked when set (or, where options depend on each other, by {@code build()}); a value outside
 * it is an {@link java.lang.IllegalArgumentException} whose one-line message names the option,
 * the range and the value. Sizes are bounded so that any accepted detector fits a small heap
 * (ADWIN at most 1,000 buckets per row, KSWIN a window of at most 1,000,000 and samples of at
 * most 10,000). {@code update} refuses NaN and infinite values, values outside [0, 1] for the
 * error-rate detectors, anything but 0 and 1 for EDDM, and magnitudes above 1e100 for the
 * real-valued ones, with an {@link java.lang.IllegalArgumentException} naming the value; a
 * refused value leaves the detector unchanged. Within those limits every running sum stays
 * finite, so {@code estimate()} is finite after any accepted input (NaN only before the first)
 * and no NaN decides a signal.
 *
 * <pre>{@code
 * ChangeDetector detector = Adwin.builder().moa().build();
 * for (double loss : losses) {
 *     if (detector.update(loss) == Signal.DRIFT) retrain();
 * }
 * }</pre>
 */
package dev.mlops.drift.stream;
