package dev.mlops.drift.internal;

import static dev.mlops.drift.internal.LinalgKnownAnswers.doubles;
import static dev.mlops.drift.internal.LinalgKnownAnswers.matrix;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link HouseholderQr#leastSquares} against {@code numpy.linalg.lstsq} ({@code scipy/linalg/linalg.json}):
 * each solution within {@code 1e-15 · cond(A)} (at least 1e-14) of NumPy's, relative to the solution's
 * largest entry; both are backward stable, so they differ by about the condition number times the
 * rounding.
 */
class HouseholderQrTest {

    static Stream<Named<JsonNode>> systems() {
        return LinalgKnownAnswers.cases("lstsq");
    }

    @ParameterizedTest
    @MethodSource("systems")
    void leastSquares_numpySystems_matchesLstsq(JsonNode c) {
        double[][] a = matrix(c.get("matrix"));
        double[] b = doubles(c.get("rhs"));
        double[] expected = doubles(c.get("solution"));
        double[][] aCopy = matrix(c.get("matrix"));
        double[] bCopy = b.clone();

        double[] x = HouseholderQr.leastSquares(a, b);

        double largest = 0;
        for (double v : expected) {
            largest = Math.max(largest, Math.abs(v));
        }
        double tolerance = Math.max(1e-14, 1e-15 * c.get("condition").asDouble()) * largest;
        assertArrayEquals(expected, x, tolerance);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(aCopy[i], a[i], 0, "the matrix is left as it was");
        }
        assertArrayEquals(bCopy, b, 0, "the right-hand side is left as it was");
    }

    @Test
    void leastSquares_rankDeficient_isRefusedNamingTheColumn() {
        double[][] a = {{1, 2, 0}, {2, 4, 0}, {3, 6, 0}, {4, 8, 1}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HouseholderQr.leastSquares(a, new double[] {1, 2, 3, 4}));
        assertEquals("least squares: column 1 is a combination of the ones before it, so the solution is not unique",
                e.getMessage());
    }

    @Test
    void leastSquares_wrongShapes_areRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> HouseholderQr.leastSquares(new double[][] {{1, 2}}, new double[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> HouseholderQr.leastSquares(new double[][] {{1}, {2}}, new double[] {1}));
    }
}
