package dev.mlops.core.drift;

/**
 * What a batch drift test gives back: a {@link DriftResult} when the test is defined on the data, or an
 * {@link Untestable} saying why it is not (no values, too few, all equal, not binary). A data problem is a
 * value the caller inspects, never an exception that a real bug could hide behind.
 *
 * <pre>{@code
 * switch (detector.evaluate(sample)) {
 *     case DriftResult r -> report(r.drifted(), r.statistic());
 *     case Untestable u -> log.info("amount not tested: {}", u.detail());
 * }
 * }</pre>
 * (Pattern matching for switch is final from Java 21; on Java 17 test with {@code instanceof}.)
 */
public sealed interface DriftOutcome permits DriftResult, Untestable {
    /** @return the test or distance, for example {@code "ks"} */
    String method();

    /** @return usable (non-missing) values in the reference */
    long referenceSize();

    /** @return usable (non-missing) values in the current sample */
    long currentSize();

    /** @return missing values in the reference, counted, not used */
    long referenceMissing();

    /** @return missing values in the current sample, counted, not used */
    long currentMissing();
}
