package dev.mlops.examples;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;

/**
 * L2-regularised logistic regression fitted by Newton's method (iteratively reweighted least squares),
 * with Commons Math for the linear algebra. Small and exact: enough to train a real model in an example.
 */
final class LogisticRegression {
    private LogisticRegression() {
    }

    /**
     * @param x rows of features (an intercept column is added here)
     * @param y labels 0 or 1
     * @param l2 ridge penalty on the non-intercept weights
     * @param iterations Newton steps
     * @return weights, intercept first
     */
    static double[] fit(double[][] x, int[] y, double l2, int iterations) {
        int n = x.length;
        int d = x[0].length + 1;
        RealVector w = new ArrayRealVector(d);
        for (int it = 0; it < iterations; it++) {
            RealMatrix hessian = new Array2DRowRealMatrix(d, d);
            RealVector gradient = new ArrayRealVector(d);
            for (int i = 0; i < n; i++) {
                double[] row = withIntercept(x[i]);
                double p = sigmoid(dot(w.toArray(), row));
                double weight = p * (1 - p);
                for (int a = 0; a < d; a++) {
                    gradient.addToEntry(a, (p - y[i]) * row[a]);
                    for (int b = 0; b < d; b++) {
                        hessian.addToEntry(a, b, weight * row[a] * row[b]);
                    }
                }
            }
            for (int a = 1; a < d; a++) {
                gradient.addToEntry(a, l2 * w.getEntry(a));
                hessian.addToEntry(a, a, l2);
            }
            hessian.addToEntry(0, 0, 1e-9);
            RealVector step = new CholeskyDecomposition(hessian).getSolver().solve(gradient);
            w = w.subtract(step);
        }
        return w.toArray();
    }

    static double predict(double[] weights, double[] features) {
        return sigmoid(dot(weights, withIntercept(features)));
    }

    /** Area under the ROC curve by the rank-sum formula (ties get half credit). */
    static double auc(double[] scores, int[] labels) {
        long pos = 0;
        long neg = 0;
        double wins = 0;
        for (int i = 0; i < scores.length; i++) {
            if (labels[i] == 1) {
                pos++;
            } else {
                neg++;
            }
        }
        for (int i = 0; i < scores.length; i++) {
            if (labels[i] != 1) {
                continue;
            }
            for (int j = 0; j < scores.length; j++) {
                if (labels[j] == 0) {
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
        }
        return wins / ((double) pos * neg);
    }

    private static double[] withIntercept(double[] row) {
        double[] out = new double[row.length + 1];
        out[0] = 1;
        System.arraycopy(row, 0, out, 1, row.length);
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
