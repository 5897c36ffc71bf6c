package dev.mlops.drift.internal;

import java.util.Objects;

/**
 * The pooled two-proportion z-test, Evidently's {@code z} stattest and its default for binary
 * categorical features on small references: with {@code p1 = x1 / n1} in the reference,
 * {@code p2 = x2 / n2} in the current sample and the pooled share {@code P = (x1 + x2) / (n1 + n2)},
 *
 * <pre>{@code z = (p1 - p2) / sqrt(P (1 - P) (1 / n1 + 1 / n2))}</pre>
 *
 * and the p-value from the standard normal distribution. SciPy has no such function; the known answers
 * come from this formula written out with {@code scipy.stats.norm}, and {@code z^2} equals SciPy's
 * {@code chi2_contingency(correction=False)} statistic on the same 2 x 2 table.
 *
 * <p>When {@code P} is 0 or 1 both samples hold a single category, the same one: there is nothing to
 * test, and the result is {@code z = 0}: two-sided p-value 1 (Evidently returns 1 there too; the formula
 * gives 0/0), one-sided 0.5.
 *
 * <p><b>Assumptions and accuracy</b>: the normal approximation wants {@code n P (1 - P)} of about 5 or
 * more in each sample; {@link FisherExact} is exact. Tails come from {@code erfc}, so small p-values keep
 * their relative accuracy (about {@code 1e-14}) instead of rounding to 0 below {@code 1e-16} as
 * {@code 1 - cdf} does.
 *
 * <p>Stateless and thread-safe.
 */
public final class TwoProportionZ {

    private static final double SQRT2 = Math.sqrt(2);

    /** Which departure of the reference share {@code p1} from the current share {@code p2} is tested. */
    public enum Alternative {
        /** {@code p1 != p2}. */
        TWO_SIDED,
        /** {@code p1 < p2}: the p-value is {@code Phi(z)}. */
        LESS,
        /** {@code p1 > p2}: the p-value is {@code 1 - Phi(z)}. */
        GREATER
    }

    /**
     * The outcome of the test.
     *
     * @param z the z statistic, positive when the reference share is the larger; finite
     * @param pValue the p-value, in {@code [0, 1]}
     */
    public record Result(double z, double pValue) {
        /**
         * Validates the parts.
         *
         * @param z the z statistic, positive when the reference share is the larger; finite
         * @param pValue the p-value, in {@code [0, 1]}
         */
        public Result {
            if (!Double.isFinite(z)) {
                throw new IllegalArgumentException("z must be finite, was " + z);
            }
            if (!(pValue >= 0 && pValue <= 1)) {
                throw new IllegalArgumentException("pValue must be in [0, 1], was " + pValue);
            }
        }
    }

    private TwoProportionZ() {
    }

    /**
     * Two-sided pooled two-proportion z-test.
     *
     * @param referenceHits observations of the category of interest in the reference, in {@code [0, referenceSize]}
     * @param referenceSize observations in the reference, at least 1
     * @param currentHits observations of the category in the current sample, in {@code [0, currentSize]}
     * @param currentSize observations in the current sample, at least 1
     * @return z and the two-sided p-value
     */
    public static Result test(long referenceHits, long referenceSize, long currentHits, long currentSize) {
        return test(referenceHits, referenceSize, currentHits, currentSize, Alternative.TWO_SIDED);
    }

    /**
     * Pooled two-proportion z-test with the given alternative.
     *
     * @param referenceHits observations of the category of interest in the reference, in {@code [0, referenceSize]}
     * @param referenceSize observations in the reference, at least 1
     * @param currentHits observations of the category in the current sample, in {@code [0, currentSize]}
     * @param currentSize observations in the current sample, at least 1
     * @param alternative which departure is tested
     * @return z and the p-value
     */
    public static Result test(long referenceHits, long referenceSize, long currentHits, long currentSize,
            Alternative alternative) {
        Objects.requireNonNull(alternative, "alternative");
        check(referenceHits, referenceSize, "reference");
        check(currentHits, currentSize, "current");
        double n1 = referenceSize;
        double n2 = currentSize;
        double p1 = referenceHits / n1;
        double p2 = currentHits / n2;
        double pooled = ((double) referenceHits + currentHits) / (n1 + n2);
        // Both samples hold one and the same category when the pooled share is 0 or 1: no difference.
        double z = pooled == 0 || pooled == 1 ? 0.0
                : (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
        double p;
        switch (alternative) {
            case TWO_SIDED:
                p = Special.erfc(Math.abs(z) / SQRT2);
                break;
            case LESS:
                p = 0.5 * Special.erfc(-z / SQRT2);
                break;
            case GREATER:
                p = 0.5 * Special.erfc(z / SQRT2);
                break;
            default:
                throw new AssertionError(alternative);
        }
        return new Result(z, Math.min(1.0, Math.max(0.0, p)));
    }

    private static void check(long hits, long size, String name) {
        if (size < 1) {
            throw new IllegalArgumentException(name + "Size must be >= 1, was " + size);
        }
        if (hits < 0 || hits > size) {
            throw new IllegalArgumentException(name + "Hits must be in [0, " + size + "], was " + hits);
        }
    }
}
