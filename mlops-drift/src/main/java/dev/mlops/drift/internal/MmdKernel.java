package dev.mlops.drift.internal;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The Gaussian RBF kernel of a reference sample, prepared once, and the unbiased MMD² of a current
 * sample against it with its permutation distribution, as Alibi Detect's {@code MMDDrift}
 * (PyTorch and TensorFlow backends) defines them.
 *
 * <p>Rows are flattened row after row ({@code rows.length / d} rows of {@code d} values, none
 * NaN). The kernel is {@code k(a, b) = exp(-|a - b|² / (2σ²))}; squared distances are summed
 * directly from the differences, which is at least as accurate as Alibi's
 * {@code |a|² + |b|² - 2 a·b} (that form loses digits when the data sit far from the origin) and
 * needs no clamp at 1e-30.
 *
 * <p>Memory: the reference kernel is kept as a packed lower triangle, {@code 4 n²} bytes for
 * {@code n} reference rows (100 MB at {@code n = 5000}); each score allocates the cross kernel,
 * {@code 8 n m} bytes, and the current sample's triangle, {@code 4 m²} bytes. Immutable and
 * thread-safe.
 */
public final class MmdKernel {
    /** The most rows one side may have: its packed kernel triangle must fit one Java array. */
    public static final int MAX_ROWS = 65_535;

    private final int n;
    private final int d;
    private final double[] reference;
    private final double sigma;
    private final double gamma;
    /** k(i, j) for reference rows i &gt; j at {@code i (i - 1) / 2 + j}. */
    private final double[] kxx;
    /** Per reference row, the sum of its kernel values with the other reference rows. */
    private final double[] rowSums;
    /** The sum of k over ordered pairs of distinct reference rows. */
    private final double sumXX;

    private MmdKernel(int n, int d, double[] reference, double sigma, double[] packedDistances) {
        this.n = n;
        this.d = d;
        this.reference = reference;
        this.sigma = sigma;
        // Alibi writes gamma = 1 / (2 sigma^2) from sigma itself, not from the median directly.
        this.gamma = 1.0 / (2.0 * sigma * sigma);
        this.kxx = packedDistances;
        this.rowSums = new double[n];
        double sum = 0;
        for (int i = 1; i < n; i++) {
            int base = triangle(i);
            for (int j = 0; j < i; j++) {
                double k = Math.exp(-gamma * kxx[base + j]);
                kxx[base + j] = k;
                rowSums[i] += k;
                rowSums[j] += k;
                sum += k;
            }
        }
        this.sumXX = 2 * sum;
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
     * @param name the argument name for messages
     * @return the prepared kernel
     * @throws IllegalArgumentException when at least half the pairs of rows coincide, so that the
     *     median distance is 0 (Alibi then clamps it to 1e-30 and carries on with a meaningless
     *     bandwidth of about 7e-16), or when the median squared distance overflows to infinity
     */
    public static MmdKernel withMedianHeuristic(double[] rows, int d, String name) {
        int n = rows.length / d;
        double[] distances = packedDistances(rows, n, d);
        double median = select(distances.clone(), (distances.length - 1) / 2);
        double sigma = Math.sqrt(0.5 * median);
        if (!(sigma > 0)) {
            throw new IllegalArgumentException(name + ": the median distance between its rows is 0 (at least half of the "
                    + n * (n - 1L) / 2 + " pairs of complete rows coincide), so the median heuristic gives no bandwidth;"
                    + " set the bandwidth explicitly (MmdOptions.withSigma)");
        }
        if (sigma == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(name + ": the median squared distance between its rows overflows a"
                    + " double (values beyond about 1e154), so the median heuristic gives no bandwidth; rescale the"
                    + " columns or set the bandwidth explicitly (MmdOptions.withSigma)");
        }
        return new MmdKernel(n, d, rows, sigma, distances);
    }

    /**
     * @param rows reference rows, flattened, at least two
     * @param d values per row
     * @param sigma the kernel bandwidth, finite and &gt; 0
     * @return the prepared kernel
     */
    public static MmdKernel withSigma(double[] rows, int d, double sigma) {
        int n = rows.length / d;
        return new MmdKernel(n, d, rows, sigma, packedDistances(rows, n, d));
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
     * draws the smaller part uniformly at random (partial Fisher-Yates); the larger part's block sum
     * follows from the pooled row sums, so a permutation costs {@code min(n, m)² / 2} kernel look-ups
     * instead of {@code (n + m)²}. Alibi permutes the whole matrix with {@code torch.randperm};
     * the split has the same distribution, but the draws differ.
     *
     * @param current current rows, flattened, at least two, none NaN or infinite
     * @param permutations how many permuted statistics to draw
     * @param seed seeds the {@link SplittableRandom} that draws them
     * @return the observed statistic and the permuted ones, in drawing order
     */
    public Scores score(double[] current, int permutations, long seed) {
        int m = current.length / d;
        // Current-major, so that a permutation reads each current row's cross values in order.
        double[] kyx = new double[m * n];
        double[] rowXY = new double[n];
        double[] colXY = new double[m];
        double sumXY = 0;
        for (int j = 0; j < m; j++) {
            int yj = j * d;
            int base = j * n;
            double col = 0;
            for (int i = 0; i < n; i++) {
                double k = Math.exp(-gamma * squaredDistance(current, yj, reference, i * d, d));
                kyx[base + i] = k;
                rowXY[i] += k;
                col += k;
            }
            colXY[j] = col;
            sumXY += col;
        }
        double[] kyy = packedDistances(current, m, d);
        double[] rowYY = new double[m];
        double half = 0;
        for (int i = 1; i < m; i++) {
            int base = triangle(i);
            for (int j = 0; j < i; j++) {
                double k = Math.exp(-gamma * kyy[base + j]);
                kyy[base + j] = k;
                rowYY[i] += k;
                rowYY[j] += k;
                half += k;
            }
        }
        double sumYY = 2 * half;
        double cxx = 1.0 / ((double) n * (n - 1));
        double cyy = 1.0 / ((double) m * (m - 1));
        double cxy = 2.0 / ((double) n * m);
        double observed = cxx * sumXX + cyy * sumYY - cxy * sumXY;

        int pooled = n + m;
        double[] rowTotals = new double[pooled];
        for (int i = 0; i < n; i++) {
            rowTotals[i] = rowSums[i] + rowXY[i];
        }
        for (int j = 0; j < m; j++) {
            rowTotals[n + j] = colXY[j] + rowYY[j];
        }
        double total = sumXX + sumYY + 2 * sumXY;
        boolean drawCurrentPart = m <= n;
        int a = Math.min(n, m);
        int[] order = new int[pooled];
        for (int i = 0; i < pooled; i++) {
            order[i] = i;
        }
        int[] part = new int[a];
        SplittableRandom random = new SplittableRandom(seed);
        double[] permuted = new double[permutations];
        for (int b = 0; b < permutations; b++) {
            // A partial Fisher-Yates pass from any arrangement yields a uniform ordered subset.
            for (int i = 0; i < a; i++) {
                int j = i + random.nextInt(pooled - i);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            System.arraycopy(order, 0, part, 0, a);
            // Sorted, the part's reference rows come first and every kernel row is read forwards.
            Arrays.sort(part);
            double rows = 0;
            for (int p = 0; p < a; p++) {
                rows += rowTotals[part[p]];
            }
            double sAA = 2 * withinSum(part, kyx, kyy);
            double sAB = rows - sAA;
            double sBB = total - sAA - 2 * sAB;
            permuted[b] = drawCurrentPart
                    ? cxx * sBB + cyy * sAA - cxy * sAB
                    : cxx * sAA + cyy * sBB - cxy * sAB;
        }
        return new Scores(observed, permuted);
    }

    /**
     * @param observed the unbiased MMD² of the samples as given
     * @param permuted the unbiased MMD² under each random reassignment
     */
    public record Scores(double observed, double[] permuted) {
    }

    /**
     * @param part pooled indices in ascending order (reference rows are {@code < n})
     * @return the sum of k over unordered pairs of distinct rows of the part
     */
    private double withinSum(int[] part, double[] kyx, double[] kyy) {
        int split = 0;
        while (split < part.length && part[split] < n) {
            split++;
        }
        double sum = 0;
        for (int p = 1; p < split; p++) {
            int base = triangle(part[p]);
            for (int q = 0; q < p; q++) {
                sum += kxx[base + part[q]];
            }
        }
        for (int p = split; p < part.length; p++) {
            int y = part[p] - n;
            int cross = y * n;
            for (int q = 0; q < split; q++) {
                sum += kyx[cross + part[q]];
            }
            int base = triangle(y) - n;
            for (int q = split; q < p; q++) {
                sum += kyy[base + part[q]];
            }
        }
        return sum;
    }

    private static int triangle(int i) {
        return (int) ((long) i * (i - 1) / 2);
    }

    private static double[] packedDistances(double[] rows, int count, int d) {
        double[] out = new double[triangle(count)];
        for (int i = 1; i < count; i++) {
            int base = triangle(i);
            for (int j = 0; j < i; j++) {
                out[base + j] = squaredDistance(rows, i * d, rows, j * d, d);
            }
        }
        return out;
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
