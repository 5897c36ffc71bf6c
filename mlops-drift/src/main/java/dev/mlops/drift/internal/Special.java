package dev.mlops.drift.internal;

import org.apache.commons.math3.exception.MathArithmeticException;
import org.apache.commons.math3.exception.MathIllegalArgumentException;
import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Erf;
import org.apache.commons.math3.special.Gamma;

/**
 * The Commons Math special functions behind the p-values, behind one door: a continued fraction that
 * diverges or runs out of iterations ({@code ConvergenceException}, {@code MaxCountExceededException})
 * becomes an {@link IllegalArgumentException} that names the function and its arguments, so that no
 * Commons Math type escapes the public API. None is known to occur on the arguments the tests pass;
 * this is the guarantee, not a workaround. Stateless and thread-safe.
 */
final class Special {
    private Special() {
    }

    /** {@code I_x(a, b)}, the regularized incomplete beta function. */
    static double regularizedBeta(double x, double a, double b) {
        try {
            return Beta.regularizedBeta(x, a, b, 1e-15, Integer.MAX_VALUE);
        } catch (MathIllegalStateException | MathArithmeticException | MathIllegalArgumentException e) {
            throw failed("regularized beta I_x(a, b) at x = " + x + ", a = " + a + ", b = " + b, e);
        }
    }

    /** {@code Q(a, x)}, the regularized upper incomplete gamma function. */
    static double regularizedGammaQ(double a, double x) {
        try {
            return Gamma.regularizedGammaQ(a, x);
        } catch (MathIllegalStateException | MathArithmeticException | MathIllegalArgumentException e) {
            throw failed("regularized gamma Q(a, x) at a = " + a + ", x = " + x, e);
        }
    }

    /** The complementary error function. */
    static double erfc(double x) {
        try {
            return Erf.erfc(x);
        } catch (MathIllegalStateException | MathArithmeticException | MathIllegalArgumentException e) {
            throw failed("erfc(x) at x = " + x, e);
        }
    }

    private static IllegalArgumentException failed(String what, RuntimeException cause) {
        return new IllegalArgumentException("the p-value needs the " + what + ", which could not be evaluated ("
                + cause.getClass().getSimpleName() + ")", cause);
    }
}
