package dev.mlops.drift.internal;

import java.util.Arrays;

/**
 * The eigenvalues and orthonormal eigenvectors of a real symmetric matrix: Householder reduction to
 * tridiagonal form with the reflections accumulated (Golub and Van Loan, Matrix Computations, 4th ed.,
 * algorithm 8.3.1), then the implicit symmetric QR algorithm with Wilkinson shifts and Givens
 * rotations (their algorithms 8.3.2 and 8.3.3, the method of EISPACK's tql2 and LAPACK's dsteqr).
 *
 * <p>Only the lower triangle of the matrix is read. The matrix is first scaled by a power of two
 * (exact) so that its largest entry is near 1: no square or norm overflows or underflows. Both steps
 * apply exact orthogonal transformations in floating point, so the result is the exact decomposition
 * of a matrix within a small multiple of {@code n · 2^-53 · ||A||} of A: residuals
 * {@code ||A v - λ v||} of that order relative to {@code ||A||}, eigenvectors orthonormal to the same
 * order. An eigenvector of a tight cluster of eigenvalues is only defined up to the cluster's subspace.
 *
 * <p>Eigenvalues come in decreasing order (ties in no particular order); each eigenvector has unit
 * length and the sign that makes its entry of largest magnitude positive (the first such entry on a
 * tie), the convention scikit-learn's {@code svd_flip} applies to PCA components. O(n³) time,
 * O(n²) memory. Immutable and thread-safe.
 */
final class SymmetricEigen {
    private static final double EPS = 0x1p-53;
    /** The most QR steps per eigenvalue on average before giving up, as LAPACK's dsteqr allows. */
    private static final int STEPS_PER_VALUE = 30;

    private final double[] values;
    private final double[][] vectors;

    private SymmetricEigen(double[] values, double[][] vectors) {
        this.values = values;
        this.vectors = vectors;
    }

    /**
     * Decomposes the symmetric matrix whose lower triangle {@code a} holds.
     *
     * @throws IllegalArgumentException if {@code a} is not square or holds a non-finite entry in its
     *     lower triangle
     * @throws ArithmeticException if the QR iteration does not converge (not seen on finite input)
     */
    static SymmetricEigen of(double[][] a) {
        int n = a.length;
        double largest = 0;
        for (int i = 0; i < n; i++) {
            if (a[i].length != n) {
                throw new IllegalArgumentException("the matrix must be square: row " + i + " has " + a[i].length
                        + " entries, not " + n);
            }
            for (int j = 0; j <= i; j++) {
                if (!Double.isFinite(a[i][j])) {
                    throw new IllegalArgumentException("the matrix holds " + a[i][j] + " at (" + i + ", " + j + ")");
                }
                largest = Math.max(largest, Math.abs(a[i][j]));
            }
        }
        double[][] w = new double[n][n];
        int shift = largest == 0 ? 0 : -Math.getExponent(largest);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                w[i][j] = Math.scalb(a[i][j], shift);
                w[j][i] = w[i][j];
            }
        }
        double[] diagonal = new double[n];
        double[] offDiagonal = new double[Math.max(n - 1, 0)];
        double[][] vt = tridiagonalise(w, diagonal, offDiagonal);
        diagonaliseTridiagonal(diagonal, offDiagonal, vt);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (i, j) -> Double.compare(diagonal[j], diagonal[i]));
        double[] values = new double[n];
        double[][] vectors = new double[n][];
        for (int i = 0; i < n; i++) {
            values[i] = Math.scalb(diagonal[order[i]], -shift);
            vectors[i] = normalised(vt[order[i]]);
        }
        return new SymmetricEigen(values, vectors);
    }

    /** The eigenvalues, largest first. */
    double[] values() {
        return values.clone();
    }

    /** The unit eigenvector of {@code values()[i]}. */
    double[] vector(int i) {
        return vectors[i].clone();
    }

    /**
     * Reduces the symmetric {@code w} (overwritten) to the tridiagonal {@code Qᵀ w Q} by the
     * Householder reflections {@code H_k = I - τ v vᵀ}, k = 0..n-3, each zeroing column k below its
     * subdiagonal, and returns {@code Qᵀ = (H_0 H_1 ... H_{n-3})ᵀ}, whose rows are the columns of Q.
     */
    private static double[][] tridiagonalise(double[][] w, double[] diagonal, double[] offDiagonal) {
        int n = w.length;
        double[] tau = new double[n];
        double[] p = new double[n];
        double[] v = new double[n];
        for (int k = 0; k + 2 < n; k++) {
            // The reflection (LAPACK's dlarfg convention) maps x = w[k+1..n-1][k] to beta e_1; its vector
            // v has v_0 = 1 and the rest stored in w[k+2..n-1][k].
            double alpha = w[k + 1][k];
            double tailNorm = 0;
            for (int i = k + 2; i < n; i++) {
                tailNorm = Math.hypot(tailNorm, w[i][k]);
            }
            if (tailNorm == 0) {
                tau[k] = 0;
                continue;
            }
            double beta = -Math.copySign(Math.hypot(alpha, tailNorm), alpha);
            tau[k] = (beta - alpha) / beta;
            double scale = 1 / (alpha - beta);
            for (int i = k + 2; i < n; i++) {
                w[i][k] *= scale;
            }
            w[k + 1][k] = beta;
            // The trailing block B = w[k+1..][k+1..] becomes H B H = B - v qᵀ - q vᵀ with p = τ B v and
            // q = p - (τ pᵀv / 2) v (Golub and Van Loan 8.3.1); v is copied out to be read along rows.
            v[k + 1] = 1;
            for (int i = k + 2; i < n; i++) {
                v[i] = w[i][k];
            }
            double pv = 0;
            for (int i = k + 1; i < n; i++) {
                double[] row = w[i];
                double sum = 0;
                for (int j = k + 1; j < n; j++) {
                    sum += row[j] * v[j];
                }
                p[i] = tau[k] * sum;
                pv += p[i] * v[i];
            }
            double half = 0.5 * tau[k] * pv;
            for (int i = k + 1; i < n; i++) {
                p[i] -= half * v[i];
            }
            for (int i = k + 1; i < n; i++) {
                double vi = v[i];
                double qi = p[i];
                double[] row = w[i];
                for (int j = k + 1; j < n; j++) {
                    row[j] -= vi * p[j] + qi * v[j];
                }
            }
        }
        for (int i = 0; i < n; i++) {
            diagonal[i] = w[i][i];
            if (i + 1 < n) {
                offDiagonal[i] = w[i + 1][i];
            }
        }
        // Q = H_0 H_1 ... H_{n-3}, formed backwards: H_k touches only rows and columns k+1.. of the
        // product of the later reflections, which is the identity outside them.
        double[][] q = new double[n][n];
        for (int i = 0; i < n; i++) {
            q[i][i] = 1;
        }
        double[] s = new double[n];
        for (int k = n - 3; k >= 0; k--) {
            if (tau[k] == 0) {
                continue;
            }
            Arrays.fill(s, k + 1, n, 0);
            for (int i = k + 1; i < n; i++) {
                double vi = i == k + 1 ? 1 : w[i][k];
                double[] row = q[i];
                for (int j = k + 1; j < n; j++) {
                    s[j] += vi * row[j];
                }
            }
            for (int i = k + 1; i < n; i++) {
                double f = tau[k] * (i == k + 1 ? 1 : w[i][k]);
                double[] row = q[i];
                for (int j = k + 1; j < n; j++) {
                    row[j] -= f * s[j];
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double t = q[i][j];
                q[i][j] = q[j][i];
                q[j][i] = t;
            }
        }
        return q;
    }

    /**
     * Diagonalises the symmetric tridiagonal matrix ({@code diagonal}, {@code offDiagonal}) in place by
     * implicit QR steps with Wilkinson shifts, from the bottom up, and applies each Givens rotation G to
     * the rows of {@code vt}: {@code vt ← G vt}, so that its rows end as the eigenvectors.
     */
    private static void diagonaliseTridiagonal(double[] diagonal, double[] offDiagonal, double[][] vt) {
        int n = diagonal.length;
        int steps = 0;
        int maxSteps = STEPS_PER_VALUE * Math.max(n, 1);
        for (int m = n - 1; m > 0; ) {
            if (negligible(diagonal, offDiagonal, m - 1)) {
                offDiagonal[m - 1] = 0;
                m--;
                continue;
            }
            int l = m - 1;
            while (l > 0 && !negligible(diagonal, offDiagonal, l - 1)) {
                l--;
            }
            if (l > 0) {
                offDiagonal[l - 1] = 0;
            }
            if (++steps > maxSteps) {
                throw new ArithmeticException("the symmetric QR iteration did not converge within " + maxSteps
                        + " steps on a " + n + " x " + n + " matrix");
            }
            qrStep(diagonal, offDiagonal, vt, l, m);
        }
    }

    private static boolean negligible(double[] diagonal, double[] offDiagonal, int i) {
        double e = Math.abs(offDiagonal[i]);
        return e <= EPS * (Math.abs(diagonal[i]) + Math.abs(diagonal[i + 1])) || e < Double.MIN_NORMAL;
    }

    /**
     * One implicit symmetric QR step on the unreduced block {@code l..m}: the Wilkinson shift μ (the
     * eigenvalue of the trailing 2 × 2 block nearer its last diagonal entry), a first rotation in
     * the direction of {@code (T - μI) e_1}, and rotations that chase the bulge off the bottom.
     */
    private static void qrStep(double[] diagonal, double[] offDiagonal, double[][] vt, int l, int m) {
        double e = offDiagonal[m - 1];
        double half = (diagonal[m - 1] - diagonal[m]) / 2;
        double mu = diagonal[m] - e * (e / (half + Math.copySign(Math.hypot(half, e), half)));
        double x = diagonal[l] - mu;
        double z = offDiagonal[l];
        for (int k = l; k < m; k++) {
            double r = Math.hypot(x, z);
            double c = r == 0 ? 1 : x / r;
            double s = r == 0 ? 0 : z / r;
            if (k > l) {
                offDiagonal[k - 1] = r;
            }
            double p = diagonal[k];
            double q = diagonal[k + 1];
            double b = offDiagonal[k];
            double csb = 2 * c * s * b;
            diagonal[k] = c * c * p + csb + s * s * q;
            diagonal[k + 1] = s * s * p - csb + c * c * q;
            offDiagonal[k] = c * s * (q - p) + (c - s) * (c + s) * b;
            if (k + 1 < m) {
                z = s * offDiagonal[k + 1];
                offDiagonal[k + 1] *= c;
                x = offDiagonal[k];
            }
            double[] u = vt[k];
            double[] v = vt[k + 1];
            for (int j = 0; j < u.length; j++) {
                double uj = u[j];
                double vj = v[j];
                u[j] = c * uj + s * vj;
                v[j] = c * vj - s * uj;
            }
        }
    }

    /** {@code v} scaled to unit length, with its entry of largest magnitude (the first on a tie) positive. */
    private static double[] normalised(double[] v) {
        double norm = 0;
        int largest = 0;
        for (int j = 0; j < v.length; j++) {
            norm = Math.hypot(norm, v[j]);
            if (Math.abs(v[j]) > Math.abs(v[largest])) {
                largest = j;
            }
        }
        double f = (v[largest] < 0 ? -1 : 1) / norm;
        double[] out = new double[v.length];
        for (int j = 0; j < v.length; j++) {
            out[j] = v[j] * f;
        }
        return out;
    }
}
