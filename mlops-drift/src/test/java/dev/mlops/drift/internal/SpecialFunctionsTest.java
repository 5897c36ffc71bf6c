package dev.mlops.drift.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * {@link Special}'s functions against SciPy 1.10.1 ({@code scipy.special.gammaln}, {@code gammaincc},
 * {@code gammainc}, {@code betainc}, {@code erfc}) and mpmath at 60 digits, on the grids of
 * {@code scipy/special/generate.py}: parameters from 1e-10 to 1e7 for P and Q and from 1e-3 to 1e6 for
 * {@code I_x(a, b)}, arguments from 1e-300 up, values down to 1e-300, with the regimes where naive
 * formulas lose digits (ln Γ near its zeros at 1 and 2, Q for tiny a, P for x far below a, the
 * incomplete functions near their means for large parameters and at the switch of the continued
 * fraction, {@code I_x(a, b)} for a tiny b, erfc in its far tail).
 *
 * <p>Each value v is within a relative {@code bound} of mpmath's, plus for the probabilities (all but
 * {@code ln Γ}) {@code 2^-52 max(0, -ln v)}: the rounding of the exponent t of {@code v = e^t}, which no
 * evaluation in doubles avoids for tiny values (1.5e-13 at 1e-300). It is within that plus SciPy's own error there (stored beside it)
 * of SciPy's value: SciPy's errors reach 1e-4 in gammaln near 2 (5e-17 absolute), 3e-2 in gammainc at
 * a = 1e7 and 9e-2 in betainc for b = 1e-3, so mpmath is the reference that holds the bound. The
 * bounds, and (in brackets) the largest error reached on the grid: {@code ln Γ} 1e-15 (4.6e-16); erfc
 * 5e-15 (1.9e-15); Q and P 1e-13 (6e-14 on values above 1e-100, 1.4e-13 at 1e-278);
 * {@code I_x(a, b)} 1.5e-13 (1.2e-13 on values above 1e-100, 1.8e-13 at 1e-228).
 */
class SpecialFunctionsTest {
    static final double LOG_GAMMA_BOUND = 1e-15;
    static final double ERFC_BOUND = 5e-15;
    static final double GAMMA_BOUND = 1e-13;
    static final double BETA_BOUND = 1.5e-13;
    /** 2^-52 per unit of {@code |ln v|}: the rounding of the exponent of {@code v = e^t}. */
    private static final double EXPONENT_ROUNDING = 0x1p-52;
    private static final JsonNode SPECIAL = load();

    private static JsonNode load() {
        String path = "/scipy/special/special.json";
        try (InputStream in = SpecialFunctionsTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            JsonNode root = JsonMapper.builder().build().readTree(in);
            assertEquals("1.10.1", root.get("scipy_version").asText(), "expected values must come from SciPy 1.10.1");
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Checks every row of one table, and fails listing the rows out of bound (the first ten) with the
     * largest error found.
     */
    private static void compare(String table, double bound, boolean probability, ToDoubleFunction<JsonNode> actual) {
        List<String> failures = new ArrayList<>();
        double worst = 0;
        int rows = 0;
        for (JsonNode row : SPECIAL.get(table)) {
            rows++;
            double exact = row.get("exact").asDouble();
            double scipy = row.get("scipy").asDouble();
            double scipyError = row.get("scipy_error").asDouble();
            double got = actual.applyAsDouble(row);
            double relative = probability ? bound + EXPONENT_ROUNDING * Math.max(0, -Math.log(exact)) : bound;
            double error = Math.abs(got - exact);
            worst = Math.max(worst, exact == 0 ? error : error / Math.abs(exact));
            if (!(error <= relative * Math.abs(exact))) {
                failures.add(String.format(Locale.ROOT, "at %s expected %.17g (mpmath) but was %.17g: relative error %.3g,"
                        + " bound %.3g", arguments(row), exact, got, error / Math.abs(exact), relative));
            } else if (!(Math.abs(got - scipy) <= (relative + scipyError) * Math.abs(exact))) {
                failures.add(String.format(Locale.ROOT, "at %s expected %.17g (SciPy, whose own error is %.3g) but was %.17g",
                        arguments(row), scipy, scipyError, got));
            }
        }
        assertTrue(rows > 0, table + " has no rows");
        if (!failures.isEmpty()) {
            fail(String.format(Locale.ROOT, "%s: %d of %d rows out of bound, largest relative error %.3g:%n  %s", table,
                    failures.size(), rows, worst, String.join(System.lineSeparator() + "  ",
                            failures.subList(0, Math.min(10, failures.size())))));
        }
    }

    private static String arguments(JsonNode row) {
        StringBuilder out = new StringBuilder();
        for (String name : new String[] {"a", "b", "x"}) {
            if (row.has(name)) {
                out.append(out.length() == 0 ? "" : ", ").append(name).append(" = ").append(row.get(name).asDouble());
            }
        }
        return out.toString();
    }

    private static double arg(JsonNode row, String name) {
        return row.get(name).asDouble();
    }

    @Test
    void logGamma_scipyGrid_isWithinItsBoundOfMpmathAndGammaln() {
        compare("gammaln", LOG_GAMMA_BOUND, false, r -> Special.logGamma(arg(r, "x")));
    }

    @Test
    void regularizedGammaQ_scipyGrid_isWithinItsBoundOfMpmathAndGammaincc() {
        compare("gammaincc", GAMMA_BOUND, true, r -> Special.regularizedGammaQ(arg(r, "a"), arg(r, "x")));
    }

    @Test
    void regularizedGammaP_scipyGrid_isWithinItsBoundOfMpmathAndGammainc() {
        compare("gammainc", GAMMA_BOUND, true, r -> Special.regularizedGammaP(arg(r, "a"), arg(r, "x")));
    }

    @Test
    void regularizedBeta_scipyGrid_isWithinItsBoundOfMpmathAndBetainc() {
        compare("betainc", BETA_BOUND, true, r -> Special.regularizedBeta(arg(r, "x"), arg(r, "a"), arg(r, "b")));
    }

    @Test
    void erfc_scipyGrid_isWithinItsBoundOfMpmathAndErfc() {
        compare("erfc", ERFC_BOUND, true, r -> Special.erfc(arg(r, "x")));
    }

    @Test
    void logGamma_atOneAndTwo_isExactlyZero() {
        assertEquals(0.0, Special.logGamma(1), 0);
        assertEquals(0.0, Special.logGamma(2), 0);
    }

    @Test
    void outsideTheDomain_givesNaN() {
        for (double bad : new double[] {Double.NaN, 0, -1, Double.NEGATIVE_INFINITY}) {
            assertTrue(Double.isNaN(Special.logGamma(bad)), "ln Γ(" + bad + ")");
            assertTrue(Double.isNaN(Special.regularizedGammaQ(bad, 1)), "Q(" + bad + ", 1)");
            assertTrue(Double.isNaN(Special.regularizedBeta(0.5, bad, 1)), "I_0.5(" + bad + ", 1)");
            assertTrue(Double.isNaN(Special.regularizedBeta(0.5, 1, bad)), "I_0.5(1, " + bad + ")");
        }
        assertTrue(Double.isNaN(Special.regularizedGammaQ(1, -1)));
        assertTrue(Double.isNaN(Special.regularizedGammaQ(1, Double.NaN)));
        assertTrue(Double.isNaN(Special.regularizedGammaQ(Double.POSITIVE_INFINITY, 1)));
        assertTrue(Double.isNaN(Special.regularizedBeta(-0.1, 1, 1)));
        assertTrue(Double.isNaN(Special.regularizedBeta(1.1, 1, 1)));
        assertTrue(Double.isNaN(Special.regularizedBeta(Double.NaN, 1, 1)));
        assertTrue(Double.isNaN(Special.erfc(Double.NaN)));
    }

    @Test
    void atTheEndsOfTheDomain_givesTheLimits() {
        assertEquals(Double.POSITIVE_INFINITY, Special.logGamma(Double.POSITIVE_INFINITY));
        assertEquals(1.0, Special.regularizedGammaQ(2.5, 0), 0);
        assertEquals(0.0, Special.regularizedGammaQ(2.5, Double.POSITIVE_INFINITY), 0);
        assertEquals(0.0, Special.regularizedGammaP(2.5, 0), 0);
        assertEquals(1.0, Special.regularizedGammaP(2.5, Double.POSITIVE_INFINITY), 0);
        assertEquals(0.0, Special.regularizedBeta(0, 2, 3), 0);
        assertEquals(1.0, Special.regularizedBeta(1, 2, 3), 0);
        assertEquals(0.0, Special.erfc(Double.POSITIVE_INFINITY), 0);
        assertEquals(2.0, Special.erfc(Double.NEGATIVE_INFINITY), 0);
        assertEquals(1.0, Special.erfc(0), 0);
    }

    @Test
    void regularizedBeta_shapesBeyondTheDoubleRange_isRefusedNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Special.regularizedBeta(0.5, Double.MAX_VALUE, Double.MAX_VALUE));
        assertTrue(e.getMessage().startsWith("the p-value needs the regularized beta I_x(a, b) at x = 0.5, a = "),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Special.regularizedBeta(0.5, Double.POSITIVE_INFINITY, 1));
    }

    @Test
    void complements_addUpToOne() {
        for (double a : new double[] {1e-3, 0.5, 3, 40, 1e4}) {
            for (double x : new double[] {1e-3, 0.7, 3, 42, 1.1e4}) {
                assertEquals(1.0, Special.regularizedGammaP(a, x) + Special.regularizedGammaQ(a, x), 1e-15,
                        "P + Q at a = " + a + ", x = " + x);
            }
        }
        for (double x : new double[] {0.125, 0.5, 0.75, 0.96875}) {
            for (double b : new double[] {0.5, 7, 300}) {
                assertEquals(1.0, Special.regularizedBeta(x, 2.5, b) + Special.regularizedBeta(1 - x, b, 2.5), 1e-15,
                        "I_x(2.5, b) + I_1-x(b, 2.5) at x = " + x + ", b = " + b);
            }
        }
        for (double x : new double[] {1e-8, 0.3, 0.99, 1, 1.7, 5}) {
            assertEquals(2.0, Special.erfc(x) + Special.erfc(-x), 1e-15, "erfc(x) + erfc(-x) at " + x);
        }
    }
}
