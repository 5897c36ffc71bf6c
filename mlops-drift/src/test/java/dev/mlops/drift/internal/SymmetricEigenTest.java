package dev.mlops.drift.internal;

import static dev.mlops.drift.internal.LinalgKnownAnswers.doubles;
import static dev.mlops.drift.internal.LinalgKnownAnswers.matrix;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link SymmetricEigen} against {@code numpy.linalg.eigh} ({@code scipy/linalg/linalg.json}) and against
 * its own definition: on every matrix, eigenvalues within 1e-13 · ||A|| of NumPy's, residuals
 * {@code ||A v - λ v||} within 1e-12 · ||A|| (what the decomposition reaches is about 1e-15), eigenvectors
 * orthonormal to 1e-12, eigenvalues in decreasing order and each vector's largest entry positive.
 */
class SymmetricEigenTest {
    private static final double VALUE_TOLERANCE = 1e-13;
    private static final double RESIDUAL_TOLERANCE = 1e-12;

    static Stream<Named<JsonNode>> matrices() {
        return LinalgKnownAnswers.cases("eigh");
    }

    @ParameterizedTest
    @MethodSource("matrices")
    void of_numpyMatrices_givesEighEigenvaluesAndOrthonormalEigenvectors(JsonNode c) {
        double[][] a = matrix(c.get("matrix"));
        double[] expected = doubles(c.get("values"));
        SymmetricEigen eigen = SymmetricEigen.of(a);
        double norm = norm(a);
        double[] values = eigen.values();
        assertEquals(expected.length, values.length);
        for (int i = 0; i < values.length; i++) {
            assertEquals(expected[i], values[i], VALUE_TOLERANCE * norm, "eigenvalue " + i);
        }
        assertDecomposes(a, eigen);
    }

    @Test
    void of_randomSymmetricMatrices_satisfiesAvEqualsLambdaV() {
        Random random = new Random(20240614);
        for (int n : new int[] {1, 2, 3, 7, 16, 50, 120}) {
            for (int trial = 0; trial < 3; trial++) {
                double[][] a = new double[n][n];
                double scale = Math.pow(10, random.nextInt(21) - 10);
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j <= i; j++) {
                        a[i][j] = random.nextGaussian() * scale;
                        a[j][i] = a[i][j];
                    }
                }
                assertDecomposes(a, SymmetricEigen.of(a));
            }
        }
    }

    @Test
    void of_readsOnlyTheLowerTriangle() {
        double[][] full = {{2, 1, 0}, {1, 3, 1}, {0, 1, 4}};
        double[][] lower = {{2, 99, -5}, {1, 3, 7}, {0, 1, 4}};
        assertArrayEquals(SymmetricEigen.of(full).values(), SymmetricEigen.of(lower).values(), 0);
    }

    @Test
    void of_zeroMatrix_givesZeroEigenvaluesAndTheUnitVectors() {
        SymmetricEigen eigen = SymmetricEigen.of(new double[3][3]);
        assertArrayEquals(new double[3], eigen.values(), 0);
        assertDecomposes(new double[3][3], eigen);
    }

    @Test
    void of_nonFiniteOrNonSquareMatrix_isRefusedNamingTheEntry() {
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> SymmetricEigen.of(new double[][] {{1, 0}, {Double.NaN, 1}}));
        assertEquals("the matrix holds NaN at (1, 0)", nan.getMessage());
        IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class,
                () -> SymmetricEigen.of(new double[][] {{1, 0}, {0}}));
        assertEquals("the matrix must be square: row 1 has 1 entries, not 2", ragged.getMessage());
    }

    /** A v = λ v, V orthonormal, values decreasing, each vector's largest-magnitude entry positive. */
    private static void assertDecomposes(double[][] a, SymmetricEigen eigen) {
        int n = a.length;
        double norm = norm(a);
        double[] values = eigen.values();
        double[][] vectors = new double[n][];
        for (int i = 0; i < n; i++) {
            vectors[i] = eigen.vector(i);
            if (i > 0) {
                assertTrue(values[i] <= values[i - 1], "eigenvalues in decreasing order");
            }
            double[] v = vectors[i];
            for (int r = 0; r < n; r++) {
                double av = 0;
                for (int k = 0; k < n; k++) {
                    av += a[r][k] * v[k];
                }
                assertEquals(values[i] * v[r], av, RESIDUAL_TOLERANCE * norm, "(A v - λ v) at " + r + " of vector " + i);
            }
            int largest = 0;
            for (int j = 1; j < n; j++) {
                if (Math.abs(v[j]) > Math.abs(v[largest])) {
                    largest = j;
                }
            }
            assertTrue(v[largest] > 0, "vector " + i + "'s largest entry is positive");
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double dot = 0;
                for (int k = 0; k < n; k++) {
                    dot += vectors[i][k] * vectors[j][k];
                }
                assertEquals(i == j ? 1 : 0, dot, RESIDUAL_TOLERANCE, "v" + i + " · v" + j);
            }
        }
    }

    /** The largest absolute row sum, at least ||A||₂. */
    private static double norm(double[][] a) {
        double norm = 0;
        for (double[] row : a) {
            double sum = 0;
            for (double v : row) {
                sum += Math.abs(v);
            }
            norm = Math.max(norm, sum);
        }
        return norm;
    }
}
