package dev.mlops.drift.internal;

/**
 * Binomial coefficients as doubles, the way {@code scipy.special.binom} evaluates them for integer
 * arguments: a product for small k (exact up to rounding), logarithms of the gamma function otherwise
 * (about 1e-12 relative error near the top of the double range). Stateless and thread-safe.
 */
final class Binomial {
    private Binomial() {
    }

    /**
     * @param n the number of items, at least 0
     * @param k the number chosen, in {@code [0, n]}
     * @return {@code n choose k}, infinite where it exceeds the double range
     */
    static double coefficient(long n, long k) {
        if (k < 0 || k > n) {
            return 0;
        }
        long kx = Math.min(k, n - k);
        if (kx < 20) {
            double num = 1.0;
            double den = 1.0;
            for (long i = 1; i <= kx; i++) {
                num *= i + n - kx;
                den *= i;
                if (Math.abs(num) > 1e50) {
                    num /= den;
                    den = 1.0;
                }
            }
            return num / den;
        }
        return Math.exp(Special.logGamma(n + 1.0) - Special.logGamma(kx + 1.0) - Special.logGamma(n - kx + 1.0));
    }

    /**
     * @param n the number of items, at least 0
     * @param k the number chosen, in {@code [0, n]}
     * @return {@code n choose k} exactly
     * @throws ArithmeticException when it exceeds a long
     */
    static long exact(long n, long k) {
        long kx = Math.min(k, n - k);
        long c = 1;
        for (long i = 0; i < kx; i++) {
            // c * (n - i) is divisible by i + 1: it is (i + 1) * C(n, i + 1)
            c = Math.multiplyExact(c, n - i) / (i + 1);
        }
        return c;
    }
}
