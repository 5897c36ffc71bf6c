package dev.mlops.drift;

import dev.mlops.core.drift.DriftResult;
import dev.mlops.core.drift.Rule;
import dev.mlops.core.drift.dataset.MultivariateDriftDetector;
import dev.mlops.drift.internal.MmdKernel;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Maximum mean discrepancy (MMD) two-sample test with a Gaussian RBF kernel and a permutation
 * p-value, reproducing Alibi Detect's {@code MMDDrift} (Gretton et al., "A kernel two-sample test",
 * JMLR 2012).
 *
 * <p><b>Statistic.</b> With reference rows {@code x₁..xₙ}, current rows {@code y₁..yₘ} and
 * {@code k(a, b) = exp(-|a - b|² / (2σ²))}, the unbiased estimator Alibi computes:
 * <pre>
 *   MMD² = Σ_{i≠j} k(xᵢ, xⱼ) / (n (n - 1)) + Σ_{i≠j} k(yᵢ, yⱼ) / (m (m - 1)) - 2 Σ_{i,j} k(xᵢ, yⱼ) / (n m)
 * </pre>
 * It estimates the squared RKHS distance between the two distributions' mean embeddings without
 * bias, and so can be negative (down to {@code -(1/n + 1/m)}) when the samples are alike; it is
 * symmetric in the two samples and invariant to row order. Reported as the {@link DriftResult}'s
 * statistic.
 *
 * <p><b>Bandwidth.</b> Unless {@link MmdOptions#sigma()} fixes it, σ comes from the median
 * heuristic on the reference alone, once, as Alibi's default {@code configure_kernel_from_x_ref=True}
 * does: {@code σ = sqrt(m / 2)} where {@code m} is the lower median of the squared distances
 * between distinct pairs of reference rows (so {@code 2σ²} is that median). Columns are not
 * rescaled: as in Alibi, a column with a large spread dominates the distance, so standardise the
 * columns first when their units differ.
 *
 * <p><b>P-value.</b> The reference and current rows are pooled and split at random into parts of
 * the original sizes {@link MmdOptions#permutations()} times; the p-value is the share of permuted
 * statistics at least as large as the observed one, {@code #{b : observed <= permuted_b} / B},
 * Alibi's {@code (mmd2 <= mmd2_permuted).mean()}, without the {@code +1} of Phipson and Smyth, so
 * it can be 0. Drift when it is strictly below {@link MmdOptions#pValue()}
 * ({@link Rule#P_VALUE_BELOW}). Under the null hypothesis (same distribution) the test is exact up
 * to Monte Carlo error: observed and permuted statistics are exchangeable, so it flags drift with
 * probability {@code ceil(αB) / (B + 1)}, 5/101 at the defaults; the p-value's own Monte Carlo
 * standard error is
 * {@code sqrt(p (1 - p) / B)}, 0.022 at p = 0.05 and B = 100. The split is drawn by a
 * {@link java.util.SplittableRandom} from the seed, so a test repeats exactly; its draws differ
 * from {@code torch.randperm}'s, so the p-value matches Alibi's in distribution, not digit for digit.
 * The statistic and the bandwidth match Alibi's to rounding error.
 *
 * <p><b>Missing values.</b> Alibi accepts no NaN. Here a row with any NaN is left out of the test,
 * in the reference and in the current table alike, and counted: the {@link DriftResult}'s sizes are
 * complete rows, its missing counts are rows left out. Imputing would put mass at one point and
 * make a table with more missing values look drifted. Infinite values are rejected.
 *
 * <p><b>Cost.</b> Building: O(n² d) time and a packed kernel triangle of {@code 4 n²} bytes
 * (100 MB at n = 5000). Each test: O((n + m) m d) time for the kernel values, {@code 8 n m + 4 m²}
 * bytes, and O(B · min(n, m)²) for the permutations. Keep references in the low thousands of rows
 * (subsample a larger one), as with Alibi.
 *
 * <p><b>Saving.</b> {@link #toJson()} writes the prepared reference (its complete rows, the
 * bandwidth and the options) and {@link #fromJson(String)} reads it back into a detector that gives
 * bit-identical results, so a reference prepared once from training data can be shipped to every
 * replica.
 *
 * <p>Immutable and thread-safe: the prepared reference is never written after construction and each
 * test draws from its own generator.
 *
 * <pre>{@code
 * MmdDetector mmd = MultivariateDrift.mmd(referenceRows);   // p 0.05, 100 permutations, seed 0
 * DriftResult r = mmd.detect(currentRows);
 * MmdResult detail = mmd.test(currentRows, 42L);            // another seed, with sigma and threshold
 * String saved = mmd.toJson();                               // on a replica: MmdDetector.fromJson(saved)
 * }</pre>
 */
public final class MmdDetector implements MultivariateDriftDetector {
    /** The {@link DriftResult#method()} of this detector. */
    public static final String METHOD = "mmd";
    /** The {@code format} field of {@link #toJson()}. */
    public static final String FORMAT = "mlops.drift.mmd-reference";
    /** The format version {@link #toJson()} writes and {@link #fromJson(String)} reads. */
    public static final int FORMAT_VERSION = 1;

    private final MmdOptions options;
    private final MmdKernel kernel;
    private final int d;
    private final int referenceMissing;

    private MmdDetector(MmdOptions options, MmdKernel kernel, int d, int referenceMissing) {
        this.options = options;
        this.kernel = kernel;
        this.d = d;
        this.referenceMissing = referenceMissing;
    }

    /**
     * Prepares the reference: drops rows with a NaN, computes the bandwidth (unless given) and the
     * reference kernel values.
     *
     * @param referenceRows reference table, {@code n × d}, at least two complete rows; copied
     * @param options level, permutations, seed and bandwidth
     * @return the detector
     * @throws IllegalArgumentException when rows are ragged or empty, a value is infinite, fewer than
     *     two rows are complete or more than {@value MmdKernel#MAX_ROWS}, or the median heuristic
     *     gives bandwidth 0 (at least half the pairs of rows coincide: set {@link MmdOptions#withSigma})
     *     or infinity (the median squared distance overflows: rescale the columns)
     */
    public static MmdDetector of(double[][] referenceRows, MmdOptions options) {
        Objects.requireNonNull(options, "options");
        int d = MultivariateRows.check("referenceRows", referenceRows, -1, 1);
        double[] rows = MultivariateRows.completeRowsFlat(referenceRows, d);
        int n = rows.length / d;
        int missing = referenceRows.length - n;
        checkCount("referenceRows", n, missing);
        MmdKernel kernel = options.sigma().isPresent()
                ? MmdKernel.withSigma(rows, d, options.sigma().getAsDouble())
                : MmdKernel.withMedianHeuristic(rows, d, "referenceRows");
        return new MmdDetector(options, kernel, d, missing);
    }

    /**
     * Tests with the options' seed.
     *
     * @param currentRows rows of length {@link #dimension()}, at least two complete; read, not kept
     * @return method {@code "mmd"}, the unbiased MMD², the permutation p-value, threshold
     *     {@link MmdOptions#pValue()} and {@link Rule#P_VALUE_BELOW}
     * @throws IllegalArgumentException as {@link #test(double[][], long)}
     */
    @Override
    public DriftResult detect(double[][] currentRows) {
        return test(currentRows, options.seed()).result();
    }

    /**
     * @param currentRows rows of length {@link #dimension()}, at least two complete; read, not kept
     * @param seed seeds the permutations; the same seed and rows give the same result
     * @return the verdict with the bandwidth and Alibi's distance threshold
     * @throws IllegalArgumentException when a row has the wrong length or an infinite value, fewer
     *     than two rows are complete, or {@code n · m} exceeds the largest Java array
     */
    public MmdResult test(double[][] currentRows, long seed) {
        MultivariateRows.check("currentRows", currentRows, d, 1);
        double[] rows = MultivariateRows.completeRowsFlat(currentRows, d);
        int m = rows.length / d;
        int missing = currentRows.length - m;
        checkCount("currentRows", m, missing);
        if ((long) kernel.size() * m > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("currentRows: " + m + " complete rows against " + kernel.size()
                    + " reference rows exceed the largest kernel block one array can hold; test fewer rows");
        }
        MmdKernel.Scores scores = kernel.score(rows, options.permutations(), seed);
        double[] permuted = scores.permuted();
        double observed = scores.observed();
        int atLeast = 0;
        for (double p : permuted) {
            if (observed <= p) {
                atLeast++;
            }
        }
        double pValue = (double) atLeast / permuted.length;
        Arrays.sort(permuted);
        int index = (int) (options.pValue() * permuted.length);
        double distanceThreshold = permuted[permuted.length - 1 - index];
        DriftResult result = new DriftResult(METHOD, observed, OptionalDouble.of(pValue), options.pValue(),
                Rule.P_VALUE_BELOW, kernel.size(), m, referenceMissing, missing);
        return new MmdResult(result, kernel.sigma(), distanceThreshold, seed);
    }

    /** @return the number of columns every row must have */
    @Override
    public int dimension() {
        return d;
    }

    /** @return the Gaussian kernel bandwidth σ: given, or from the median heuristic */
    public double sigma() {
        return kernel.sigma();
    }

    /** @return the options this detector was built with */
    public MmdOptions options() {
        return options;
    }

    /** @return the number of complete reference rows the test uses */
    public int referenceSize() {
        return kernel.size();
    }

    /** @return the number of reference rows left out for a NaN */
    public int referenceMissing() {
        return referenceMissing;
    }

    /**
     * Saves the prepared reference. Format {@value #FORMAT}, version {@value #FORMAT_VERSION}, one
     * object with these fields (in this order when written, in any order when read):
     * <pre>{@code
     * {"format":"mlops.drift.mmd-reference","version":1,
     *  "dimension":2,                   // d, the length of every row
     *  "referenceMissing":1,            // reference rows left out for a NaN when it was prepared
     *  "sigma":1.0606601717798212,      // the bandwidth in use: given or from the median heuristic
     *  "options":{"pValue":0.05,"permutations":100,"seed":0,
     *             "sigma":null},        // null: median heuristic; else the fixed bandwidth
     *  "rows":[[0.0,1.0],[1.5,-0.25],[0.75,1.0]]}   // the complete reference rows, n x d
     * }</pre>
     * Only what cannot be derived is stored: the kernel matrix is recomputed from the rows and
     * {@code sigma} on load (O(n² d)). Numbers are written as {@link Double#toString} writes them,
     * which reads back to the same double, so the loaded detector gives bit-identical statistics,
     * p-values (for the same seed) and thresholds. The text is about {@code 20 n d} characters.
     *
     * @return the reference as compact JSON
     */
    public String toJson() {
        double[] rows = kernel.referenceRows();
        return MultivariateJson.write(FORMAT, FORMAT_VERSION, g -> {
            g.writeNumberField("dimension", d);
            g.writeNumberField("referenceMissing", referenceMissing);
            g.writeNumberField("sigma", kernel.sigma());
            g.writeObjectFieldStart("options");
            g.writeNumberField("pValue", options.pValue());
            g.writeNumberField("permutations", options.permutations());
            g.writeNumberField("seed", options.seed());
            g.writeFieldName("sigma");
            if (options.sigma().isPresent()) {
                g.writeNumber(options.sigma().getAsDouble());
            } else {
                g.writeNull();
            }
            g.writeEndObject();
            g.writeArrayFieldStart("rows");
            for (int from = 0; from < rows.length; from += d) {
                MultivariateJson.writeArray(g, rows, from, from + d);
            }
            g.writeEndArray();
        });
    }

    /**
     * Loads a reference saved by {@link #toJson()} and prepares its kernel; the reference is not
     * re-processed otherwise (no rows dropped, no bandwidth chosen again).
     *
     * @param json a document in format {@value #FORMAT}, version {@value #FORMAT_VERSION}
     * @return a detector equal in every result to the one that saved it
     * @throws IllegalArgumentException naming the field, when the text is not well-formed JSON, the
     *     format or version differs, a field is missing, unknown or of the wrong type, a number is
     *     not finite or out of range, a row's length is not {@code dimension}, there are fewer than
     *     2 or more than {@value MmdKernel#MAX_ROWS} rows, {@code sigma} is not &gt; 0, or
     *     {@code options.sigma} is given and differs from {@code sigma}
     */
    public static MmdDetector fromJson(String json) {
        MultivariateJson.Obj root = MultivariateJson.parse(json, FORMAT, FORMAT_VERSION);
        int d = root.intValue("dimension", 1, Integer.MAX_VALUE);
        int missing = root.intValue("referenceMissing", 0, Integer.MAX_VALUE);
        double sigma = root.finite("sigma");
        if (!(sigma > 0)) {
            throw root.fail("sigma", "must be > 0, was " + sigma);
        }
        MmdOptions options = readOptions(root.object("options"));
        if (options.sigma().isPresent() && Double.compare(options.sigma().getAsDouble(), sigma) != 0) {
            throw root.fail("sigma", "must equal options.sigma (" + options.sigma().getAsDouble()
                    + ") when the bandwidth was fixed, was " + sigma);
        }
        double[] rows = root.finiteRows("rows", -1, "", d, "dimension");
        int n = rows.length / d;
        if (n < 2 || n > MmdKernel.MAX_ROWS) {
            throw root.fail("rows", "must have between 2 and " + MmdKernel.MAX_ROWS + " rows, had " + n);
        }
        root.noOtherFields();
        return new MmdDetector(options, MmdKernel.withSigma(rows, d, sigma), d, missing);
    }

    private static MmdOptions readOptions(MultivariateJson.Obj o) {
        double pValue = o.finite("pValue");
        int permutations = o.intValue("permutations", 1, Integer.MAX_VALUE);
        long seed = o.longValue("seed");
        OptionalDouble sigma = o.isNull("sigma") ? OptionalDouble.empty() : OptionalDouble.of(o.finite("sigma"));
        o.noOtherFields();
        try {
            return new MmdOptions(pValue, permutations, seed, sigma);
        } catch (IllegalArgumentException e) {
            throw o.wrap(e);
        }
    }

    private static void checkCount(String name, int complete, int missing) {
        if (complete < 2) {
            throw new IllegalArgumentException(name + " must have at least 2 complete rows (without NaN) for the"
                    + " unbiased MMD², had " + complete + " (" + missing + " left out for NaN)");
        }
        if (complete > MmdKernel.MAX_ROWS) {
            throw new IllegalArgumentException(name + " must have at most " + MmdKernel.MAX_ROWS
                    + " complete rows (the kernel matrix is quadratic in them), had " + complete + "; subsample");
        }
    }
}
