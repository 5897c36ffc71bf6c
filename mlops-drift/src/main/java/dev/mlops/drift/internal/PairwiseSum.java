package dev.mlops.drift.internal;

import java.util.function.DoubleUnaryOperator;
import java.util.function.IntToDoubleFunction;

/**
 * Sums in the order NumPy's {@code np.sum} adds a contiguous float64 array: blocks of 8192 values
 * (its reduction buffer), each summed pairwise with eight accumulators below 128 values, the block
 * sums added in turn. Replaying that order gives the same bits as NumPy, which matters where a
 * statistic subtracts two nearly equal sums (a t statistic of two almost identical samples).
 * The rounding error is O(log n) ulps. Stateless and thread-safe.
 */
final class PairwiseSum {
    private static final int BLOCK = 8192;
    private static final int PAIRWISE_BLOCK = 128;

    private PairwiseSum() {
    }

    /**
     * @return the sum of {@code a}, as {@code np.sum(a)} computes it
     */
    static double sum(double[] a) {
        return sum(a.length, i -> a[i]);
    }

    /**
     * @return the sum of {@code f(a[i])}, as {@code np.sum(f(a))} computes it
     */
    static double sum(double[] a, DoubleUnaryOperator f) {
        return sum(a.length, i -> f.applyAsDouble(a[i]));
    }

    /**
     * The sum of {@code term(0), ..., term(n - 1)} in NumPy's order, without an array: the terms are
     * asked for once each and in increasing index order, so {@code term} may be a stateful cursor (a
     * running cumulative sum, a merge over sorted samples).
     *
     * @param n the number of terms
     * @param term the i-th term, called with i = 0, 1, ..., n - 1 in that order
     * @return the sum, as {@code np.sum} of the array of terms computes it
     */
    static double sum(int n, IntToDoubleFunction term) {
        double total = 0;
        for (int start = 0; start < n; start += BLOCK) {
            total += pairwise(start, Math.min(BLOCK, n - start), term);
        }
        return total;
    }

    private static double pairwise(int from, int n, IntToDoubleFunction f) {
        if (n < 8) {
            double res = 0;
            for (int i = 0; i < n; i++) {
                res += f.applyAsDouble(from + i);
            }
            return res;
        }
        if (n <= PAIRWISE_BLOCK) {
            double[] r = new double[8];
            for (int j = 0; j < 8; j++) {
                r[j] = f.applyAsDouble(from + j);
            }
            int i = 8;
            for (; i < n - (n % 8); i += 8) {
                for (int j = 0; j < 8; j++) {
                    r[j] += f.applyAsDouble(from + i + j);
                }
            }
            double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) {
                res += f.applyAsDouble(from + i);
            }
            return res;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return pairwise(from, n2, f) + pairwise(from + n2, n - n2, f);
    }
}
