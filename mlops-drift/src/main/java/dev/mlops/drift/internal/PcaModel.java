package dev.mlops.drift.internal;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealVector;

/**
 * NannyML's data-reconstruction model, fitted once on reference rows: scikit-learn's
 * {@code SimpleImputer(strategy="mean")}, {@code StandardScaler()} and {@code PCA(n_components=f)}
 * in that order, restated here.
 *
 * <ol>
 *   <li>Impute: a NaN becomes its column's mean over the reference's non-NaN values.</li>
 *   <li>Standardise: subtract the column mean of the imputed reference and divide by its population
 *       standard deviation (ddof 0). A column scikit-learn deems constant ({@code var <= n·eps·var +
 *       (n·mean·eps)²}, its {@code _is_constant_feature}) is divided by 1.</li>
 *   <li>PCA: centre the standardised reference by its own column means (zero up to rounding, kept
 *       because scikit-learn keeps them), take the eigenvectors of its covariance matrix (divisor
 *       {@code n - 1}) by decreasing eigenvalue, and keep the fewest {@code k} whose cumulative share
 *       of the total variance is strictly above {@code f}: scikit-learn's
 *       {@code searchsorted(cumsum(ratio), f, side="right") + 1}.</li>
 *   <li>Error of a row: the Euclidean norm of its standardised, centred values minus their
 *       projection on the {@code k} components.</li>
 * </ol>
 *
 * <p>scikit-learn takes the components from an SVD of the centred data; this class takes them from
 * Commons Math's {@link EigenDecomposition} of the {@code d × d} covariance matrix, O(n d²) time and
 * O(d²) memory instead of O(n d) memory. Both span the same subspace; they agree to rounding error
 * unless the eigenvalues at the cut are nearly equal, where the subspace itself is ill-determined.
 * When {@code k = d} the reconstruction is exact and the error is exactly 0, where scikit-learn
 * reports rounding noise of about 1e-16.
 *
 * <p>Immutable and thread-safe.
 */
public final class PcaModel {
    private static final double EPS = Math.ulp(1.0);

    private final int d;
    private final double[] imputed;
    private final double[] centre;
    private final double[] scale;
    private final double[] pcaMean;
    private final int k;
    /** The kept components, row-major {@code k × d}. */
    private final double[] components;
    private final double[] explainedRatio;

    private PcaModel(int d, double[] imputed, double[] centre, double[] scale, double[] pcaMean, int k,
            double[] components, double[] explainedRatio) {
        this.d = d;
        this.imputed = imputed;
        this.centre = centre;
        this.scale = scale;
        this.pcaMean = pcaMean;
        this.k = k;
        this.components = components;
        this.explainedRatio = explainedRatio;
    }

    /**
     * @param rows reference rows of equal length {@code d}, at least two, finite or NaN
     * @param minExplained the variance share the components must exceed, in (0, 1)
     * @param name the argument name for messages
     * @return the fitted model
     * @throws IllegalArgumentException when a column has no values, or every column is constant
     */
    public static PcaModel fit(double[][] rows, double minExplained, String name) {
        int n = rows.length;
        int d = rows[0].length;
        double[] imputed = new double[d];
        long[] present = new long[d];
        for (double[] row : rows) {
            for (int j = 0; j < d; j++) {
                if (!Double.isNaN(row[j])) {
                    imputed[j] += row[j];
                    present[j]++;
                }
            }
        }
        for (int j = 0; j < d; j++) {
            if (present[j] == 0) {
                throw new IllegalArgumentException(name + ": column " + j + " has no values, only NaN; nothing to impute"
                        + " it with");
            }
            imputed[j] /= present[j];
        }
        double[] centre = new double[d];
        for (double[] row : rows) {
            for (int j = 0; j < d; j++) {
                centre[j] += value(row[j], imputed[j]);
            }
        }
        for (int j = 0; j < d; j++) {
            centre[j] /= n;
        }
        double[] variance = new double[d];
        double[] correction = new double[d];
        for (double[] row : rows) {
            for (int j = 0; j < d; j++) {
                double t = value(row[j], imputed[j]) - centre[j];
                variance[j] += t * t;
                correction[j] += t;
            }
        }
        double[] scale = new double[d];
        for (int j = 0; j < d; j++) {
            // Two-pass variance with the rounding correction of the first pass, as scikit-learn does.
            double var = (variance[j] - correction[j] * correction[j] / n) / n;
            double bound = n * EPS * var + Math.pow(n * centre[j] * EPS, 2);
            scale[j] = var <= bound ? 1.0 : Math.sqrt(var);
        }
        double[] pcaMean = new double[d];
        double[] z = new double[d];
        for (double[] row : rows) {
            standardise(row, imputed, centre, scale, z);
            for (int j = 0; j < d; j++) {
                pcaMean[j] += z[j];
            }
        }
        for (int j = 0; j < d; j++) {
            pcaMean[j] /= n;
        }
        double[][] covariance = new double[d][d];
        for (double[] row : rows) {
            standardise(row, imputed, centre, scale, z);
            for (int a = 0; a < d; a++) {
                z[a] -= pcaMean[a];
            }
            for (int a = 0; a < d; a++) {
                double za = z[a];
                double[] line = covariance[a];
                for (int b = 0; b <= a; b++) {
                    line[b] += za * z[b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b <= a; b++) {
                covariance[a][b] /= n - 1;
                covariance[b][a] = covariance[a][b];
            }
        }
        EigenDecomposition eigen = new EigenDecomposition(new Array2DRowRealMatrix(covariance, false));
        double[] values = eigen.getRealEigenvalues();
        Integer[] order = IntStream.range(0, d).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> values[i]).reversed());
        double total = 0;
        for (double v : values) {
            total += Math.max(v, 0);
        }
        if (!(total > 0)) {
            throw new IllegalArgumentException(name + ": every column is constant, so there is no variance to model");
        }
        double[] ratio = new double[d];
        for (int i = 0; i < d; i++) {
            ratio[i] = Math.max(values[order[i]], 0) / total;
        }
        int k = componentsFor(ratio, minExplained);
        double[] components = new double[k * d];
        for (int i = 0; i < k; i++) {
            RealVector v = eigen.getEigenvector(order[i]);
            for (int j = 0; j < d; j++) {
                components[i * d + j] = v.getEntry(j);
            }
        }
        return new PcaModel(d, imputed, centre, scale, pcaMean, k, components, ratio);
    }

    /**
     * Restores a fitted model from its parts, as {@link #fit} computed them and the accessors return
     * them; the caller has checked them.
     *
     * @param imputed the values that replace NaN, per column
     * @param centre the column means of the imputed reference
     * @param scale the column divisors, each finite and &gt; 0
     * @param pcaMean the column means of the standardised reference
     * @param components the kept components, row-major {@code k × d}, orthonormal
     * @param explainedRatio the variance share of each of the {@code d} principal axes, largest first
     * @return the model; the arrays are copied
     */
    public static PcaModel of(double[] imputed, double[] centre, double[] scale, double[] pcaMean, double[] components,
            double[] explainedRatio) {
        int d = imputed.length;
        return new PcaModel(d, imputed.clone(), centre.clone(), scale.clone(), pcaMean.clone(), components.length / d,
                components.clone(), explainedRatio.clone());
    }

    /**
     * The number of components {@link #fit} keeps for these variance shares: the fewest whose
     * cumulative share is strictly above {@code minExplained}, summed in order, at most all of them.
     *
     * @param explainedRatio shares of the principal axes, largest first, at least one
     * @param minExplained the share to exceed, in (0, 1)
     * @return the number of components, in {@code [1, explainedRatio.length]}
     */
    public static int componentsFor(double[] explainedRatio, double minExplained) {
        int k = 1;
        double cumulative = 0;
        for (int i = 0; i < explainedRatio.length; i++) {
            cumulative += explainedRatio[i];
            if (cumulative <= minExplained) {
                k = i + 2;
            }
        }
        return Math.min(k, explainedRatio.length);
    }

    /** @return the number of principal components kept */
    public int components() {
        return k;
    }

    /** @return the column means of the imputed reference, which standardising subtracts (a copy) */
    public double[] centre() {
        return centre.clone();
    }

    /**
     * @return the column divisors of standardising: the population standard deviation, 1 for a
     *     constant column (a copy)
     */
    public double[] scale() {
        return scale.clone();
    }

    /** @return the column means of the standardised reference, which PCA subtracts (a copy) */
    public double[] pcaMean() {
        return pcaMean.clone();
    }

    /** @return the kept components, row-major {@code k × d}, largest variance first (a copy) */
    public double[] componentVectors() {
        return components.clone();
    }

    /** @return the share of the reference variance along each principal axis, largest first (a copy) */
    public double[] explainedVarianceRatio() {
        return explainedRatio.clone();
    }

    /** @return the values that replace NaN, per column (a copy) */
    public double[] imputationValues() {
        return imputed.clone();
    }

    /**
     * @param rows rows of length {@code d}, finite or NaN
     * @param from first row, inclusive
     * @param to last row, exclusive, greater than {@code from}
     * @return the mean reconstruction error of those rows
     */
    public double meanError(double[][] rows, int from, int to) {
        double[] z = new double[d];
        double[] t = new double[k];
        double sum = 0;
        for (int r = from; r < to; r++) {
            sum += error(rows[r], z, t);
        }
        return sum / (to - from);
    }

    private double error(double[] row, double[] z, double[] t) {
        if (k == d) {
            return 0.0;
        }
        standardise(row, imputed, centre, scale, z);
        for (int j = 0; j < d; j++) {
            z[j] -= pcaMean[j];
        }
        for (int i = 0; i < k; i++) {
            double s = 0;
            int base = i * d;
            for (int j = 0; j < d; j++) {
                s += components[base + j] * z[j];
            }
            t[i] = s;
        }
        double squares = 0;
        for (int j = 0; j < d; j++) {
            double back = 0;
            for (int i = 0; i < k; i++) {
                back += t[i] * components[i * d + j];
            }
            double residual = z[j] - back;
            squares += residual * residual;
        }
        return Math.sqrt(squares);
    }

    private static void standardise(double[] row, double[] imputed, double[] centre, double[] scale, double[] out) {
        for (int j = 0; j < row.length; j++) {
            out[j] = (value(row[j], imputed[j]) - centre[j]) / scale[j];
        }
    }

    private static double value(double v, double imputed) {
        return Double.isNaN(v) ? imputed : v;
    }
}
