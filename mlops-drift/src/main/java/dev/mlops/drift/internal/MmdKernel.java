package dev.mlops.drift.internal;

import java.util.SplittableRandom;

/**
 * The Gaussian RBF kernel two-sample statistic of Alibi Detect's {@code MMDDrift} (PyTorch and
 * TensorFlow backends): the unbiased MMD² of a current sample against a reference sample, and its
 * permutation distribution.
 *
 * <p>Rows are flattened row after row ({@code rows.length / d} rows of {@code d} values, none NaN or
 * infinite). The kernel is {@code k(a, b) = exp(-γ |a - b|²)}, {@code γ = 1 / (2σ²)}; squared
 * distances are summed directly from the differences, which is at least as accurate as Alibi's
 * {@code |a|² + |b|² - 2 a·b} (that form loses digits when the data sit far from the origin) and
 * needs no clamp at 1e-30.
 *
 * <p><b>Memory.</b> No kernel matrix is kept: only the reference rows, σ and the reference's own
 * kernel row sums ({@code 8 n} bytes, computed once in O(n² d)). Each test streams the kernel of the
 * current rows against the pooled rows one row at a time ({@code 8 (n + m)} bytes) and keeps one bit
 * per pooled row and permutation ({@code B (n + m) / 8} bytes), so memory is linear in the rows. The median heuristic
 * counts the pairwise distances by their leading bits in a few passes instead of storing them.
 *
 * <p><b>Accuracy.</b> Every kernel sum (per row, then over the rows) is a compensated (Neumaier)
 * sum: its rounding error is about two units in the last place of the sum, whatever the number of
 * terms, where one running double over {@code n²} terms loses up to {@code n²} units on tie-heavy
 * data.
 *
 * <p>Immutable and thread-safe.
 */
public final class MmdKernel {
    /** Pairwise distances up to this count are selected in one array; more are counted by their bits. */
    private static final int DIRECT_SELECT_PAIRS = 1 << 20;

    private final int n;
    private final int d;
    private final double[] reference;
    private final double sigma;
    private final double gamma;
    /** Per reference row, the compensated sum of its kernel values with the other reference rows. */
    private final double[] referenceRowSums;
    /** The compensated sum of k over unordered pairs of distinct reference rows. */
    private final double referencePairSum;

    private MmdKernel(int n, int d, double[] reference, double sigma) {
        this.n = n;
        this.d = d;
        this.reference = reference;
        this.sigma = sigma;
        // Alibi writes gamma = 1 / (2 sigma^2) from sigma itself, not from the median directly.
        this.gamma = 1.0 / (2.0 * sigma * sigma);
        // The reference block is the same in every test: its sums are kept (O(n) memory), its values are not.
        Sum[] rows = new Sum[n];
        for (int i = 0; i < n; i++) {
            rows[i] = new Sum();
        }
        Sum pairs = new Sum();
        Sum part = new Sum();
        for (int i = 1; i < n; i++) {
            part.reset();
            for (int j = 0; j < i; j++) {
                double k = kernel(reference, i * d, reference, j * d);
                part.add(k);
                rows[j].add(k);
            }
            rows[i].add(part.value());
            pairs.add(part.value());
        }
        this.referenceRowSums = new double[n];
        for (int i = 0; i < n; i++) {
            referenceRowSums[i] = rows[i].value();
        }
        this.referencePairSum = pairs.value();
    }

    /**
     * Prepares the reference with Alibi's median heuristic: among the {@code P = n (n - 1) / 2}
     * squared distances between distinct reference rows, sorted ascending, take element
     * {@code (P - 1) / 2} (integer division, 0-based: the lower median) and set
     * {@code σ = sqrt(0.5 · that)}. This is Alibi's {@code sigma_median(x_ref, x_ref, dist)}, which
     * sorts all {@code n²} distances, skips the {@code n} zeros of the diagonal and takes element
     * {@code n + (n² - n) // 2 - 1}: every pair appears twice there, so that element is the lower
     * median of the pairs.
     *
     * @param rows reference rows, flattened, at least two, none NaN or infinite
     * @param d values per row
     * @param minSigma the smallest bandwidth accepted
     * @param maxSigma the largest bandwidth accepted
     * @param name the argument name for messages
     * @return the prepared kernel
     * @throws IllegalArgumentException when at least half the pairs of rows coincide, so that the
     *     median distance is 0 (Alibi then clamps it to 1e-30 and carries on with a meaningless
     *     bandwidth of about 7e-16), or the median gives a bandwidth outside {@code [minSigma, maxSigma]}
     */
    public static MmdKernel withMedianHeuristic(double[] rows, int d, double minSigma, double maxSigma, String name) {
        int n = rows.length / d;
        double median = lowerMedianSquaredDistance(rows, n, d);
        double sigma = Math.sqrt(0.5 * median);
        if (!(sigma > 0)) {
            throw new IllegalArgumentException(name + ": the median distance between its rows is 0 (at least half of the "
                    + n * (n - 1L) / 2 + " pairs of complete rows coincide), so the median heuristic gives no bandwidth;"
                    + " set the bandwidth explicitly (MmdOptions.withSigma)");
        }
        if (!(sigma >= minSigma && sigma <= maxSigma)) {
            throw new IllegalArgumentException(name + ": the median heuristic gives bandwidth " + sigma + ", outside ["
                    + minSigma + ", " + maxSigma + "] where the kernel stays finite (values beyond about 1e150 or"
                    + " distances below 1e-150); rescale the columns or set the bandwidth explicitly (MmdOptions.withSigma)");
        }
        return new MmdKernel(n, d, rows, sigma);
    }

    /**
     * @param rows reference rows, flattened, at least two
     * @param d values per row
     * @param sigma the kernel bandwidth, finite and &gt; 0, with {@code 1 / (2σ²)} finite and &gt; 0
     * @return the prepared kernel
     */
    public static MmdKernel withSigma(double[] rows, int d, double sigma) {
        return new MmdKernel(rows.length / d, d, rows, sigma);
    }

    /** @return the kernel bandwidth σ */
    public double sigma() {
        return sigma;
    }

    /** @return the number of reference rows */
    public int size() {
        return n;
    }

    /** @return the reference rows the kernel was built from, flattened row after row (a copy) */
    public double[] referenceRows() {
        return reference.clone();
    }

    /**
     * The observed unbiased MMD² and its value under {@code permutations} random reassignments of
     * the pooled rows to a reference part of size {@code n} and a current part of size {@code m}.
     *
     * <p>Observed, with zero-diagonal kernel blocks:
     * {@code sum(Kxx) / (n (n - 1)) + sum(Kyy) / (m (m - 1)) - 2 sum(Kxy) / (n m)}. A permutation
     * draws the smaller part uniformly at random (partial Fisher-Yates, continued from the previous
     * permutation's arrangement); the larger part's block sum follows from the pooled row sums, so a
     * permutation costs {@code min(n, m)² / 2} additions. Alibi permutes the whole matrix with
     * {@code torch.randperm}; the split has the same distribution, but the draws differ.
     *
     * <p>The pooled kernel is computed once, one row at a time: row {@code i} against the rows before
     * it, added to the observed block sums, to every pooled row's total, and to the within-part sum of
     * every permutation whose part holds row {@code i}. O((n + m)² d) time for the kernel,
     * O(B min(n, m)²) for the permutations.
     *
     * @param current current rows, flattened, at least two, none NaN or infinite
     * @param permutations how many permuted statistics to draw
     * @param seed seeds the {@link SplittableRandom} that draws them
     * @return the observed statistic and the permuted ones, in drawing order
     */
    public Scores score(double[] current, int permutations, long seed) {
        int m = current.length / d;
        int pooled = n + m;
        boolean drawCurrentPart = m <= n;
        int a = Math.min(n, m);
        int words = (pooled + 63) >>> 6;
        long[] parts = drawParts(pooled, a, permutations, seed, words);

        double[] within = new double[permutations];
        // The reference pairs inside the parts: streamed with the other rows, or, when the parts hold
        // few reference rows (a large reference, small current tables), computed pair by pair.
        boolean streamReference = referencePairsInParts(parts, words) >= (long) n * (n - 1) / 2;
        if (!streamReference) {
            addReferencePairsInParts(parts, words, within);
        }
        double[] row = new double[pooled];
        double[] rowTotals = new double[pooled];
        System.arraycopy(referenceRowSums, 0, rowTotals, 0, n);
        Sum sumYY = new Sum();
        Sum sumXY = new Sum();
        Sum part = new Sum();
        for (int i = streamReference ? 1 : n; i < pooled; i++) {
            if (i < n) {
                for (int j = 0; j < i; j++) {
                    row[j] = kernel(reference, i * d, reference, j * d);
                }
                addWithinParts(parts, words, i, row, within);
                continue;
            }
            int at = (i - n) * d;
            part.reset();
            for (int j = 0; j < n; j++) {
                double k = kernel(current, at, reference, j * d);
                row[j] = k;
                part.add(k);
                rowTotals[j] += k;
            }
            double toReference = part.value();
            sumXY.add(toReference);
            part.reset();
            for (int j = n; j < i; j++) {
                double k = kernel(current, at, current, (j - n) * d);
                row[j] = k;
                part.add(k);
                rowTotals[j] += k;
            }
            double toCurrent = part.value();
            sumYY.add(toCurrent);
            rowTotals[i] += toReference + toCurrent;
            addWithinParts(parts, words, i, row, within);
        }
        double xx = 2 * referencePairSum;
        double yy = 2 * sumYY.value();
        double xy = sumXY.value();
        double cxx = 1.0 / ((double) n * (n - 1));
        double cyy = 1.0 / ((double) m * (m - 1));
        double cxy = 2.0 / ((double) n * m);
        double observed = cxx * xx + cyy * yy - cxy * xy;

        double total = xx + yy + 2 * xy;
        double[] permuted = new double[permutations];
        for (int b = 0; b < permutations; b++) {
            double rows = 0;
            int base = b * words;
            for (int w = 0; w < words; w++) {
                for (long bits = parts[base + w]; bits != 0; bits &= bits - 1) {
                    rows += rowTotals[(w << 6) + Long.numberOfTrailingZeros(bits)];
                }
            }
            double sAA = 2 * within[b];
            double sAB = rows - sAA;
            double sBB = total - sAA - 2 * sAB;
            permuted[b] = drawCurrentPart
                    ? cxx * sBB + cyy * sAA - cxy * sAB
                    : cxx * sAA + cyy * sBB - cxy * sAB;
        }
        return new Scores(observed, permuted);
    }

    /** @return the number of pairs of reference rows that lie in a part together, over all parts */
    private long referencePairsInParts(long[] parts, int words) {
        long pairs = 0;
        for (int base = 0; base < parts.length; base += words) {
            long t = referenceMembers(parts, base, null);
            pairs += t * (t - 1) / 2;
        }
        return pairs;
    }

    /** Adds the kernel values of the reference pairs inside each part to that part's within-sum. */
    private void addReferencePairsInParts(long[] parts, int words, double[] within) {
        int[] members = new int[n];
        for (int b = 0, base = 0; b < within.length; b++, base += words) {
            int t = referenceMembers(parts, base, members);
            double s = 0;
            for (int p = 1; p < t; p++) {
                int at = members[p] * d;
                for (int q = 0; q < p; q++) {
                    s += kernel(reference, at, reference, members[q] * d);
                }
            }
            within[b] += s;
        }
    }

    /** @return how many reference rows (indices below n) the part holds, written to {@code out} if given */
    private int referenceMembers(long[] parts, int base, int[] out) {
        int t = 0;
        for (int w = 0; w << 6 < n; w++) {
            long bits = parts[base + w];
            int left = n - (w << 6);
            if (left < 64) {
                bits &= (1L << left) - 1;
            }
            if (out == null) {
                t += Long.bitCount(bits);
                continue;
            }
            for (; bits != 0; bits &= bits - 1) {
                out[t++] = (w << 6) + Long.numberOfTrailingZeros(bits);
            }
        }
        return t;
    }

    private double kernel(double[] a, int from, double[] b, int at) {
        return Math.exp(-gamma * squaredDistance(a, from, b, at, d));
    }

    /**
     * @param observed the unbiased MMD² of the samples as given
     * @param permuted the unbiased MMD² under each random reassignment
     */
    public record Scores(double observed, double[] permuted) {
    }

    /**
     * Draws each permutation's smaller part as a bit set over the pooled rows, {@code words} longs per
     * permutation. A partial Fisher-Yates pass from any arrangement yields a uniform subset, so each
     * pass continues from the previous arrangement.
     */
    private static long[] drawParts(int pooled, int a, int permutations, long seed, int words) {
        int[] order = new int[pooled];
        for (int i = 0; i < pooled; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        long[] parts = new long[permutations * words];
        for (int b = 0; b < permutations; b++) {
            int base = b * words;
            for (int i = 0; i < a; i++) {
                int j = i + random.nextInt(pooled - i);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
                parts[base + (order[i] >>> 6)] |= 1L << order[i];
            }
        }
        return parts;
    }

    /**
     * Adds row {@code i}'s kernel values with the rows before it to the within-part sum of every
     * permutation whose part holds row {@code i}: each unordered pair of a part is added once, when
     * its later row streams by.
     */
    private static void addWithinParts(long[] parts, int words, int i, double[] row, double[] within) {
        int word = i >>> 6;
        long bit = 1L << i;
        long below = bit - 1;
        for (int b = 0, base = 0; b < within.length; b++, base += words) {
            if ((parts[base + word] & bit) == 0) {
                continue;
            }
            double s = 0;
            for (int w = 0; w < word; w++) {
                for (long bits = parts[base + w]; bits != 0; bits &= bits - 1) {
                    s += row[(w << 6) + Long.numberOfTrailingZeros(bits)];
                }
            }
            for (long bits = parts[base + word] & below; bits != 0; bits &= bits - 1) {
                s += row[(word << 6) + Long.numberOfTrailingZeros(bits)];
            }
            within[b] += s;
        }
    }

    /**
     * The lower median of the squared distances between distinct rows, exactly, in memory linear in
     * the rows: up to {@value #DIRECT_SELECT_PAIRS} pairs are selected in one array; more are counted
     * by the leading 16 bits of their (non-negative, so order-preserving) bit patterns, then the next
     * 16 bits among those that share the prefix, until the bucket holding the median is small enough
     * to select in an array or is a single value. At most five passes over the pairs.
     */
    static double lowerMedianSquaredDistance(double[] rows, int n, int d) {
        long pairs = (long) n * (n - 1) / 2;
        long rank = (pairs - 1) / 2;
        if (pairs <= DIRECT_SELECT_PAIRS) {
            double[] all = new double[(int) pairs];
            int k = 0;
            for (int i = 1; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    all[k++] = squaredDistance(rows, i * d, rows, j * d, d);
                }
            }
            return select(all, (int) rank);
        }
        long prefix = 0;
        for (int level = 0; level < 4; level++) {
            int shift = 48 - 16 * level;
            int prefixShift = shift + 16;
            long[] counts = new long[1 << 16];
            for (int i = 1; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    long bits = Double.doubleToRawLongBits(squaredDistance(rows, i * d, rows, j * d, d));
                    if (level == 0 || bits >>> prefixShift == prefix) {
                        counts[(int) (bits >>> shift) & 0xFFFF]++;
                    }
                }
            }
            int digit = 0;
            while (rank >= counts[digit]) {
                rank -= counts[digit++];
            }
            prefix = prefix << 16 | digit;
            if (level < 3 && counts[digit] <= DIRECT_SELECT_PAIRS) {
                double[] bucket = new double[(int) counts[digit]];
                int k = 0;
                for (int i = 1; i < n; i++) {
                    for (int j = 0; j < i; j++) {
                        double v = squaredDistance(rows, i * d, rows, j * d, d);
                        if (Double.doubleToRawLongBits(v) >>> shift == prefix) {
                            bucket[k++] = v;
                        }
                    }
                }
                return select(bucket, (int) rank);
            }
        }
        return Double.longBitsToDouble(prefix);
    }

    private static double squaredDistance(double[] a, int from, double[] b, int at, int d) {
        double s = 0;
        for (int k = 0; k < d; k++) {
            double diff = a[from + k] - b[at + k];
            s += diff * diff;
        }
        return s;
    }

    /**
     * Neumaier's compensated sum: the running sum and the rounding error it has lost so far. Not
     * thread-safe; one per loop.
     */
    private static final class Sum {
        private double sum;
        private double compensation;

        void add(double v) {
            double t = sum + v;
            if (Math.abs(sum) >= Math.abs(v)) {
                compensation += (sum - t) + v;
            } else {
                compensation += (v - t) + sum;
            }
            sum = t;
        }

        double value() {
            return sum + compensation;
        }

        void reset() {
            sum = 0;
            compensation = 0;
        }
    }

    /**
     * Quickselect with three-way partitioning (ties, as in integer-valued data, shrink the range at
     * once) and a median-of-three pivot; reorders {@code a}.
     *
     * @return the k-th smallest value (0-based)
     */
    static double select(double[] a, int k) {
        int lo = 0;
        int hi = a.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            double pivot = medianOfThree(a[lo], a[mid], a[hi]);
            int lt = lo;
            int gt = hi;
            int i = lo;
            while (i <= gt) {
                if (a[i] < pivot) {
                    swap(a, lt++, i++);
                } else if (a[i] > pivot) {
                    swap(a, i, gt--);
                } else {
                    i++;
                }
            }
            if (k < lt) {
                hi = lt - 1;
            } else if (k > gt) {
                lo = gt + 1;
            } else {
                return pivot;
            }
        }
        return a[k];
    }

    private static double medianOfThree(double a, double b, double c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }

    private static void swap(double[] a, int i, int j) {
        double t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
