package dev.mlops.drift.internal;

/**
 * The special functions behind the p-values: {@code ln Γ}, the regularized incomplete gamma functions
 * P and Q, the regularized incomplete beta function {@code I_x(a, b)} and {@code erfc}, written here
 * from the textbook methods cited at each one. Stateless and thread-safe.
 *
 * <p><b>Accuracy.</b> Measured against mpmath at 60 digits on the grids of {@code SpecialFunctionsTest}
 * (made by {@code src/test/resources/scipy/special/generate.py}: parameters from 1e-10 to 1e7 for P and
 * Q and from 1e-3 to 1e6 for {@code I_x(a, b)}, arguments from 1e-300 up, values down to 1e-300), the
 * largest relative errors are: {@code ln Γ} 5e-16, none lost near its zeros at 1 and 2; erfc 2e-15;
 * P and Q 6e-14 and {@code I_x(a, b)} 1.2e-13 on values above 1e-100. Two things set these bounds. A
 * series or continued fraction takes up to about {@code 8.5 √a} steps for a parameter a and gathers
 * their rounding, about {@code √a · 2^-53} (5e-14 at a = 1e7). And a value v is {@code e^t} for an
 * exponent t of size {@code |ln v|}, formed from terms of about that size: below 1e-100 its rounding
 * adds up to {@code 2^-52 |ln v|} (1.5e-13 at 1e-300), which no evaluation in doubles avoids.
 *
 * <p><b>Domain.</b> An argument outside a function's domain (a NaN, a parameter {@code <= 0},
 * {@code x < 0}, an infinite a for P and Q, x outside [0, 1] for the beta function) gives NaN, which
 * the callers pass on as a NaN p-value; the ends of the domain give the limits ({@code Q(a, ∞) = 0},
 * {@code erfc(±∞) = 0} or 2). The beta function refuses parameters whose sum exceeds the double range,
 * and a series or continued fraction that has not converged within its bound (over three times the
 * steps the grids need; only parameters beyond about 1e13 reach it) throws an
 * {@link IllegalArgumentException} that names the function and its arguments, the exception the
 * p-value methods document.
 */
final class Special {
    /** The unit roundoff, 2^-53: the relative change below which a series or fraction has converged. */
    private static final double EPS = 0x1p-53;
    /** Stands in for a zero denominator in Lentz's method (Press et al., Numerical Recipes, 3rd ed., 5.2). */
    private static final double TINY = 0x1p-1000;
    private static final double HALF_LOG_TWO_PI = 0.9189385332046728;
    private static final double ONE_OVER_TWO_PI = 0.15915494309189535;
    private static final double ONE_OVER_SQRT_PI = 0.5641895835477563;
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    /** Below it erfc is 1 - erf by erf's power series; above it the continued fraction of Q(1/2, x²). */
    private static final double ERF_SERIES_LIMIT = 1.25;
    /** erfc(x) is below the smallest subnormal double beyond it. */
    private static final double ERFC_UNDERFLOW = 27.3;
    /** The Stirling series serves {@code ln Γ} from here on; below it the recurrence brings x there. */
    private static final double STIRLING_FROM = 10;

    /**
     * The Taylor coefficients of {@code ln Γ(2 + z)} about z = 0, from the 1st to the 30th power:
     * {@code 1 - γ}, then {@code (-1)^k (ζ(k) - 1) / k} (Abramowitz and Stegun 6.1.33, with
     * {@code ln Γ(2 + z) = ln Γ(1 + z) + ln(1 + z)}). The series converges for |z| < 2; it is used for
     * |z| <= 1/2, where the 30th term is below 1e-20 of the sum. Computed to 40 digits with mpmath by
     * {@code src/test/resources/scipy/special/coefficients.py} and rounded to the nearest double.
     */
    private static final double[] LN_GAMMA_2 = {
        0.42278433509846713,
        0.3224670334241132,
        -0.0673523010531981,
        0.020580808427784546,
        -0.007385551028673986,
        0.0028905103307415234,
        -0.001192753911703261,
        0.0005096695247430425,
        -0.00022315475845357939,
        9.945751278180853e-05,
        -4.492623673813314e-05,
        2.050721277567069e-05,
        -9.439488275268397e-06,
        4.374866789907488e-06,
        -2.039215753801366e-06,
        9.55141213040742e-07,
        -4.492469198764566e-07,
        2.1207184805554665e-07,
        -1.0043224823968099e-07,
        4.7698101693639804e-08,
        -2.2711094608943164e-08,
        1.0838659214896955e-08,
        -5.183475041970047e-09,
        2.4836745438024785e-09,
        -1.1921401405860912e-09,
        5.731367241678862e-10,
        -2.7595228851242334e-10,
        1.330476437424449e-10,
        -6.4229645638381e-11,
        3.1044247747322276e-11,
    };

    /**
     * The Stirling series' coefficients {@code B_2k / (2k (2k - 1))} for k = 1..8, from the Bernoulli
     * numbers 1/6, -1/30, 1/42, -1/30, 5/66, -691/2730, 7/6, -3617/510 (Abramowitz and Stegun 6.1.40).
     */
    private static final double[] STIRLING = {
        1.0 / 12, -1.0 / 360, 1.0 / 1260, -1.0 / 1680, 1.0 / 1188, -691.0 / 360360, 1.0 / 156, -3617.0 / 122400,
    };

    private Special() {
    }

    /**
     * {@code ln Γ(x)} for {@code x > 0}; NaN for a NaN or {@code x <= 0}, +∞ for +∞. Exactly 0 at 1
     * and 2. Relative error below 5e-16 on the test grid, near the zeros at 1 and 2 too.
     */
    static double logGamma(double x) {
        if (!(x > 0)) {
            return Double.NaN;
        }
        if (x == Double.POSITIVE_INFINITY) {
            return x;
        }
        if (x < 0.5) {
            // ln Γ(x) = ln Γ(1 + x) - ln x, and ln Γ(1 + x) = ln Γ(2 + x) - ln(1 + x).
            return lnGamma2(x) - Math.log1p(x) - Math.log(x);
        }
        if (x < 1.5) {
            return lnGamma2(x - 1) - Math.log1p(x - 1);
        }
        if (x <= 2.5) {
            return lnGamma2(x - 2);
        }
        if (x < STIRLING_FROM) {
            // Γ(x) = (x - 1) (x - 2) ... (x - m) Γ(x - m), each x - j exact, down to x - m in (1.5, 2.5].
            double y = x;
            double product = 1;
            while (y > 2.5) {
                y -= 1;
                product *= y;
            }
            return lnGamma2(y - 2) + Math.log(product);
        }
        return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + stirlingCorrection(x);
    }

    /** {@code ln Γ(2 + z)} for |z| <= 1/2 by its Taylor series; 0 at z = 0, with z's relative accuracy near it. */
    private static double lnGamma2(double z) {
        double sum = LN_GAMMA_2[LN_GAMMA_2.length - 1];
        for (int k = LN_GAMMA_2.length - 2; k >= 0; k--) {
            sum = sum * z + LN_GAMMA_2[k];
        }
        return sum * z;
    }

    /**
     * {@code ln Γ(x) - [(x - 1/2) ln x - x + ln(2π)/2]} for {@code x >= 10}: eight terms of the Stirling
     * series, whose truncation error there is below 2e-18.
     */
    private static double stirlingCorrection(double x) {
        double r = 1 / x;
        double r2 = r * r;
        double sum = STIRLING[STIRLING.length - 1];
        for (int k = STIRLING.length - 2; k >= 0; k--) {
            sum = sum * r2 + STIRLING[k];
        }
        return sum * r;
    }

    /**
     * {@code ln(1 + u) - u} without the cancellation of its two terms at small u: for |u| < 1/2 from
     * {@code ln(1 + u) = 2 atanh(w)} with {@code w = u / (2 + u)}, which makes it
     * {@code -u w + 2 (w³/3 + w⁵/5 + ...)}, |w| <= 1/3 (DiDonato and Morris, ACM TOMS 12 (1986), the
     * function they call rlog1).
     */
    static double log1pMinus(double u) {
        if (Math.abs(u) >= 0.5) {
            return Math.log1p(u) - u;
        }
        double w = u / (2 + u);
        double w2 = w * w;
        double power = w * w2;
        double sum = power / 3;
        for (int k = 5; ; k += 2) {
            power *= w2;
            double term = power / k;
            sum += term;
            if (Math.abs(term) <= EPS * Math.abs(sum)) {
                break;
            }
        }
        return 2 * sum - u * w;
    }

    /** {@code Q(a, x)}, the regularized upper incomplete gamma function {@code Γ(a, x) / Γ(a)}. */
    static double regularizedGammaQ(double a, double x) {
        return incompleteGamma(a, x, true);
    }

    /** {@code P(a, x)}, the regularized lower incomplete gamma function {@code γ(a, x) / Γ(a)}. */
    static double regularizedGammaP(double a, double x) {
        return incompleteGamma(a, x, false);
    }

    /**
     * P or Q as in Numerical Recipes (Press et al., 3rd ed., 6.2): below {@code x = a + 1} the power
     * series of P, above it Legendre's continued fraction for Q by Lentz's method, each giving the other
     * as its complement, which is then at least about 0.08 and loses no digit. The exception is
     * {@code a < 1/2} below {@code x = a + 1}, where P can be nearly 1: there Q is summed directly from
     * {@code Γ(1 + a) - 1}, {@code x^a - 1} and an alternating series (DiDonato and Morris, ACM TOMS 12
     * (1986), section 3), and P is its complement unless Q is above 1/2. The common factor
     * {@code x^a e^-x / Γ(a)} comes from
     * {@link #gammaFactor(double, double)}.
     */
    private static double incompleteGamma(double a, double x, boolean upper) {
        if (Double.isNaN(a) || Double.isNaN(x) || !(a > 0) || a == Double.POSITIVE_INFINITY || x < 0) {
            return Double.NaN;
        }
        if (x == 0) {
            return upper ? 1 : 0;
        }
        if (x == Double.POSITIVE_INFINITY) {
            return upper ? 0 : 1;
        }
        double result;
        if (x < a + 1) {
            if (a < 0.5) {
                double q = upperSmallA(a, x);
                result = upper ? q : q < 0.5 ? 1 - q : lowerSeries(a, x);
            } else {
                double p = lowerSeries(a, x);
                result = upper ? 1 - p : p;
            }
        } else {
            double q = upperFraction(a, x);
            result = upper ? q : 1 - q;
        }
        return Math.min(1, Math.max(0, result));
    }

    /**
     * The most terms or convergents a series or continued fraction may take for parameters of size
     * {@code size}: over three times the most they take on the test grids, {@code 8.5 √size}, and at
     * most 10^8 (a fraction of a second), so that a parameter beyond about 10^13 fails rather than hangs.
     */
    private static int iterationBound(double size) {
        return (int) Math.min(100_000_000, 1000 + 30 * Math.sqrt(size));
    }

    /** P(a, x) = x^a e^-x / Γ(a + 1) · Σ_n x^n / ((a + 1) ... (a + n)) (Abramowitz and Stegun 6.5.29). */
    private static double lowerSeries(double a, double x) {
        double term = 1;
        double sum = 1;
        int bound = iterationBound(a);
        for (int n = 1; ; n++) {
            term *= x / (a + n);
            sum += term;
            if (term <= EPS * sum) {
                break;
            }
            if (n >= bound) {
                throw failed("regularized gamma P(a, x) at a = " + a + ", x = " + x, "did not converge");
            }
        }
        return gammaFactor(a, x) / a * sum;
    }

    /**
     * Q(a, x) = x^a e^-x / Γ(a) · 1/(x + 1 - a - 1(1 - a)/(x + 3 - a - 2(2 - a)/(x + 5 - a - ...)))
     * (Abramowitz and Stegun 6.5.31, in its even form), by the modified Lentz method (Lentz, Applied
     * Optics 15 (1976); Thompson and Barnett, J. Comput. Phys. 64 (1986)).
     */
    private static double upperFraction(double a, double x) {
        return gammaFactor(a, x) * gammaFraction(a, x, iterationBound(a));
    }

    /** The continued fraction of {@link #upperFraction}, without its factor. */
    private static double gammaFraction(double a, double x, int bound) {
        double xMinusA = x - a;
        double d = 1 / (xMinusA + 1);
        double c = Double.POSITIVE_INFINITY;
        double h = d;
        for (int n = 1; ; n++) {
            double an = -n * (n - a);
            double bn = xMinusA + (2 * n + 1);
            d = bn + an * d;
            if (Math.abs(d) < TINY) {
                d = TINY;
            }
            c = bn + an / c;
            if (Math.abs(c) < TINY) {
                c = TINY;
            }
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) <= EPS) {
                return h;
            }
            if (n >= bound) {
                throw failed("regularized gamma Q(a, x) at a = " + a + ", x = " + x, "did not converge");
            }
        }
    }

    /**
     * Q(a, x) for {@code a < 1/2} and {@code x < a + 1}, from {@code γ(a, x) = x^a Σ_n (-x)^n / (n! (a + n))}:
     * {@code Q = [(Γ(1 + a) - 1) - (x^a - 1) + a x^a Σ_{n>=1} -(-x)^n / (n! (a + n))] / Γ(1 + a)}, each
     * part of the order of a, so a small Q keeps its digits where 1 - P would cancel them.
     */
    private static double upperSmallA(double a, double x) {
        double gammaOnePlusAMinusOne = Math.expm1(lnGamma2(a) - Math.log1p(a));
        double aLogX = a * Math.log(x);
        double term = 1;
        double sum = 0;
        for (int n = 1; ; n++) {
            term *= -x / n;
            double t = term / (a + n);
            sum -= t;
            // x < 1.5, so the terms fall faster than 1.5^n / n! and this ends within 30 terms.
            if (Math.abs(t) <= EPS * Math.abs(sum)) {
                break;
            }
        }
        double numerator = gammaOnePlusAMinusOne - Math.expm1(aLogX) + a * Math.exp(aLogX) * sum;
        return numerator / (1 + gammaOnePlusAMinusOne);
    }

    /**
     * {@code x^a e^-x / Γ(a)}. For {@code a >= 10} Γ is written by Stirling's series, which turns the
     * factor into {@code √(a / 2π) exp(a [ln(1 + u) - u] - S(a))} with {@code u = (x - a) / a} and S the
     * Stirling correction (Temme, Special Functions (1996), 11.2; DiDonato and Morris's rcomp): the large
     * terms {@code a ln x}, {@code x} and {@code ln Γ(a)} cancel analytically instead of in rounding.
     * Away from the mean ({@code |u| >= 1/2}) {@code ln(1 + u)} is taken as {@code ln(x / a)}, as
     * {@code 1 + u} would lose the digits of an x far below a.
     */
    private static double gammaFactor(double a, double x) {
        if (a < STIRLING_FROM) {
            return Math.exp(a * Math.log(x) - x - logGamma(a));
        }
        double u = (x - a) / a;
        double exponent;
        if (Math.abs(u) < 0.5) {
            exponent = a * log1pMinus(u);
        } else {
            double ratio = x / a;
            double logRatio = ratio >= Double.MIN_NORMAL ? Math.log(ratio) : Math.log(x) - Math.log(a);
            exponent = a * logRatio - (x - a);
        }
        return Math.sqrt(a * ONE_OVER_TWO_PI) * Math.exp(exponent - stirlingCorrection(a));
    }

    /**
     * The complementary error function; NaN for NaN. Below |x| = 1.25 it is {@code 1 ∓ erf(|x|)} by erf's
     * series, above it {@code Q(1/2, x²)} by its continued fraction, with {@code e^(-x²)} formed from
     * the exact square {@code x² = p + e} ({@link Math#fma}) so that the rounding of x² does not cost
     * {@code x²} ulps at large x. Relative error about 2e-15.
     */
    static double erfc(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double ax = Math.abs(x);
        if (ax < ERF_SERIES_LIMIT) {
            double erf = erfSeries(ax);
            return x < 0 ? 1 + erf : 1 - erf;
        }
        double tail = ax >= ERFC_UNDERFLOW ? 0 : erfcFraction(ax);
        return x < 0 ? 2 - tail : tail;
    }

    /** {@code e^(-x²)}, from the exact split x² = p + e. */
    private static double expMinusSquare(double x) {
        double p = x * x;
        double e = Math.fma(x, x, -p);
        return Math.exp(-p) * (1 - e);
    }

    /** erf(x) = 2x/√π e^(-x²) Σ_n (2x²)^n / (1·3···(2n + 1)) for 0 <= x < 1.25 (Abramowitz and Stegun 7.1.6). */
    private static double erfSeries(double x) {
        double z = 2 * x * x;
        double term = 1;
        double sum = 1;
        for (int n = 1; term > EPS * sum; n++) {
            term *= z / (2 * n + 1);
            sum += term;
        }
        return TWO_OVER_SQRT_PI * x * expMinusSquare(x) * sum;
    }

    /** erfc(x) = Q(1/2, x²) = x e^(-x²)/√π · [the continued fraction of {@link #upperFraction} at a = 1/2]. */
    private static double erfcFraction(double x) {
        // From x = 1.25 on, the fraction converges within a few dozen convergents; the bound is a guard.
        return ONE_OVER_SQRT_PI * x * expMinusSquare(x) * gammaFraction(0.5, x * x, 10_000);
    }

    /**
     * {@code I_x(a, b)}, the regularized incomplete beta function. The continued fraction of
     * Abramowitz and Stegun 26.5.8 (see {@link #betaFraction}) below {@code x = (a + 1) / (a + b + 2)},
     * where it converges fast, and through {@code I_x(a, b) = 1 - I_{1-x}(b, a)} above it (Numerical
     * Recipes, 3rd ed., 6.4). Where that complement would cancel (it is above 1/2, which happens near the
     * switch when b is small), {@link #lowerSmallB} or the first fraction is taken instead. The factor
     * {@code x^a (1 - x)^b / B(a, b)} comes from {@link #betaFactor}, which takes {@code ln(1 - x)} as
     * {@code log1p(-x)}, so the digits of a small x are kept on both sides.
     */
    static double regularizedBeta(double x, double a, double b) {
        if (Double.isNaN(x) || Double.isNaN(a) || Double.isNaN(b) || !(a > 0) || !(b > 0) || x < 0 || x > 1) {
            return Double.NaN;
        }
        if (a + b + 2 == Double.POSITIVE_INFINITY) {
            throw failed("regularized beta I_x(a, b) at x = " + x + ", a = " + a + ", b = " + b,
                    "a + b exceeds the double range");
        }
        if (x == 0 || x == 1) {
            return x;
        }
        double factor = betaFactor(x, a, b);
        // 1 - x is exact from x = 1/2 on (Sterbenz); below it only x is, and the fraction is told which.
        double y = 1 - x;
        double result;
        if (x * (a + b + 2) < a + 1) {
            result = factor * betaFraction(x, y, true, a, b) / a;
        } else {
            double complement = factor * betaFraction(y, x, x >= 0.5, b, a) / b;
            result = 1 - complement;
            if (complement > 0.5) {
                // 1 - complement cancels, costing the digits of complement / result: with a small b,
                // I_x(a, b) can be small on this side of the switch. Within 2/a of 1 its series in 1 - x
                // keeps them; elsewhere its own fraction, converging more slowly past the switch, may keep
                // more, its rounding growing with its value h: it is taken when h is the smaller.
                double series = b < 0.5 && a * y <= 2 ? lowerSmallB(x, y, a, b) : Double.NaN;
                if (series >= 0 && series < 0.5) {
                    result = series;
                } else {
                    double h = betaFraction(x, y, true, a, b);
                    double direct = factor * h / a;
                    if (direct >= 0 && direct < 0.5 && h <= complement / direct) {
                        result = direct;
                    }
                }
            }
        }
        if (Double.isNaN(result)) {
            throw failed("regularized beta I_x(a, b) at x = " + x + ", a = " + a + ", b = " + b, "did not converge");
        }
        return Math.min(1, Math.max(0, result));
    }

    /**
     * {@code I_x(a, b)} for {@code b < 1/2} and {@code a (1 - x) <= 2}, where it is small and
     * {@code 1 - I_{1-x}(b, a)} would cancel: from the power series
     * {@code I_y(b, a) = y^b / (b B(a, b)) [1 + b Σ_{n>=1} (1 - a)_n y^n / (n! (b + n))]} (Abramowitz and
     * Stegun 26.5.4 with a and b exchanged, y = 1 - x), as
     * {@code [(b B(a, b) - 1) - (y^b - 1) - b y^b Σ] / (b B(a, b))}, each part of the order of b, as
     * {@link #upperSmallA} does for Q. The terms of Σ are about {@code (-a y)^n / n!}, so for
     * {@code a y <= 2} it cancels by at most about {@code e^4}. NaN if it has not converged within its bound.
     */
    private static double lowerSmallB(double x, double y, double a, double b) {
        double logY = Math.log1p(-x);
        // ln(b B(a, b)) = ln Γ(1 + b) - [ln Γ(a + b) - ln Γ(a)], the bracket from Stirling's series at
        // a + n >= 10 and the recurrence: Γ(a + b) / Γ(a) = Γ(a + n + b) / Γ(a + n) · Π_j (a + j) / (a + j + b).
        double shift = 0;
        double an = a;
        while (an < STIRLING_FROM) {
            shift -= Math.log1p(b / an);
            an += 1;
        }
        shift -= logGammaRatio(b, an);
        double bBetaMinusOne = Math.expm1(lnGamma2(b) - Math.log1p(b) - shift);
        double term = 1;
        double sum = 0;
        for (int n = 1; ; n++) {
            term *= (n - a) * y / n;
            double t = term / (b + n);
            sum += t;
            if (Math.abs(t) <= EPS * Math.abs(sum)) {
                break;
            }
            if (n >= 1000) {
                return Double.NaN;
            }
        }
        double bLogY = b * logY;
        return (bBetaMinusOne - Math.expm1(bLogY) - b * Math.exp(bLogY) * sum) / (1 + bBetaMinusOne);
    }

    /**
     * The continued fraction of Abramowitz and Stegun 26.5.8 for {@code I_z(p, q)},
     * {@code 1/(1 + d1/(1 + d2/(1 + ...)))} with {@code d_{2m+1} = -(p + m)(p + q + m) z / ((p + 2m)(p + 2m + 1))}
     * and {@code d_{2m} = m (q - m) z / ((p + 2m - 1)(p + 2m))}, in its odd contraction
     * {@code 1/(β_0 + α_1/(β_1 + α_2/(β_2 + ...)))} with {@code β_0 = 1 + d1}, {@code β_m = 1 + d_{2m} + d_{2m+1}},
     * {@code α_m = -d_{2m-1} d_{2m}} (Cuyt et al., Handbook of Continued Fractions for Special Functions
     * (2008), 1.7), by Lentz's method as in {@link #gammaFraction}.
     *
     * <p>Near the mean of a distribution with a large parameter each {@code 1 + d} is a difference of
     * nearly equal terms, and the fraction's value is about its reciprocal, so the rounding of
     * {@code d} would cost as many digits as the value has. Instead the β are written in
     * {@code λ = p - (p + q) z}, the distance from the mean, as DiDonato and Morris's bfrac does (ACM TOMS
     * 18 (1992)): {@code β_0 = (1 + λ) / (p + 1)} and, with {@code s = p + 2m} (worked out by hand),
     * {@code β_m = (N + λ (s³ - (2m + 1 - q) s² - (2mq - 2m² - 2m + q) s)) / ((p + q)(s³ - s))},
     * {@code N = (2m + 1) s³ + (4mq - 6m² - 4m + q - 1) s² + (4m³ + 4m² + 2m - 4m²q - 2mq - q) s}, whose
     * terms do not cancel. λ and {@code 1 + λ} are formed from whichever of z and w = 1 - z is exact, with
     * {@code p + q} and {@code p + 1} carried as exact sums of two doubles. Everything is scaled by
     * {@code s³} so that nothing overflows for huge p or q. NaN if it has not converged within its bound.
     */
    private static double betaFraction(double z, double w, boolean zExact, double p, double q) {
        double sum = p + q;
        double sumError = twoSumError(p, q, sum);
        double pPlusOne = p + 1;
        double pPlusOneError = twoSumError(p, 1, pPlusOne);
        // λ = p - (p + q) z = (p + q) w - q, and 1 + λ likewise, each with one rounding
        double lambda;
        double onePlusLambda;
        if (zExact) {
            lambda = Math.fma(-sum, z, p) - sumError * z;
            onePlusLambda = Math.fma(-sum, z, pPlusOne) + (pPlusOneError - sumError * z);
        } else {
            double qMinusOne = q - 1;
            double qMinusOneError = twoSumError(q, -1, qMinusOne);
            lambda = Math.fma(sum, w, -q) + sumError * w;
            onePlusLambda = Math.fma(sum, w, -qMinusOne) + (sumError * w - qMinusOneError);
        }
        double beta0 = onePlusLambda / pPlusOne;
        double f = Math.abs(beta0) < TINY ? TINY : beta0;
        double c = f;
        double d = 0;
        int bound = iterationBound(Math.max(p, q));
        for (int m = 1; ; m++) {
            double s = p + 2 * m;
            double r = 1 / s;
            double mm = (double) m * m;
            double n3 = (2 * m + 1) + ((4 * m * q - 6 * mm - 4 * m + q - 1) + (4 * mm * m + 4 * mm + 2 * m - 4 * mm * q
                    - 2 * m * q - q) * r) * r;
            double minusC3 = 1 - ((2 * m + 1 - q) + (2 * m * q - 2 * mm - 2 * m + q) * r) * r;
            double beta = (n3 + minusC3 * lambda) / (sum * (1 - r * r));
            double alpha = ((p + m - 1) / (s - 2)) * ((sum + m - 1) / (s - 1)) * (m / (s - 1)) * ((q - m) / s) * z * z;
            d = beta + alpha * d;
            if (Math.abs(d) < TINY) {
                d = TINY;
            }
            c = beta + alpha / c;
            if (Math.abs(c) < TINY) {
                c = TINY;
            }
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) <= EPS) {
                return 1 / f;
            }
            if (m >= bound) {
                return Double.NaN;
            }
        }
    }

    /** The rounding error of {@code sum = a + b}: {@code a + b - sum}, exactly (Knuth's TwoSum). */
    private static double twoSumError(double a, double b, double sum) {
        double bVirtual = sum - a;
        double aVirtual = sum - bVirtual;
        return (a - aVirtual) + (b - bVirtual);
    }

    /**
     * {@code x^a (1 - x)^b / B(a, b)}. When a and b are both at least 10, the three Gammas are written by
     * Stirling's series, which turns it into
     * {@code √(ab / (2π(a + b))) exp(a [ln(1 + t) - t] + b [ln(1 - t a/b) + t a/b] + S(a + b) - S(a) - S(b))}
     * with {@code t = (x (a + b) - a) / a}: the terms of size {@code a ln x} cancel analytically
     * (DiDonato and Morris's brcomp, Temme 11.3.3). When only one of them is that large, the ratio
     * {@code Γ(q) / Γ(p + q)} of the large one is taken from the series as well (their algdiv); below,
     * {@code ln B} is summed from {@link #logGamma}, whose terms are then small.
     */
    private static double betaFactor(double x, double a, double b) {
        double small = Math.min(a, b);
        double large = Math.max(a, b);
        if (small >= STIRLING_FROM) {
            double s = a + b;
            double deviation = Math.fma(x, s, -a);
            double ta = deviation / a;
            double tb = -deviation / b;
            // a [ln(1 + ta) - ta] with 1 + ta = x s / a, and b [ln(1 + tb) - tb] with 1 + tb = (1 - x) s / b;
            // away from the mean the logarithms are taken of x and 1 - x themselves, whose digits 1 + t
            // would lose.
            double termA = Math.abs(ta) < 0.5 ? a * log1pMinus(ta) : a * (Math.log(x) + Math.log(s / a)) - deviation;
            double termB = Math.abs(tb) < 0.5 ? b * log1pMinus(tb) : b * (Math.log1p(-x) + Math.log(s / b)) + deviation;
            double exponent = termA + termB + stirlingCorrection(s) - stirlingCorrection(a) - stirlingCorrection(b);
            return Math.sqrt(a * ONE_OVER_TWO_PI * (b / s)) * Math.exp(exponent);
        }
        double logBeta;
        if (large >= STIRLING_FROM) {
            logBeta = logGamma(small) + logGammaRatio(small, large);
        } else {
            logBeta = logGamma(a) + logGamma(b) - logGamma(a + b);
        }
        return Math.exp(a * Math.log(x) + b * Math.log1p(-x) - logBeta);
    }

    /**
     * {@code ln Γ(q) - ln Γ(p + q)} for {@code q >= 10}, from Stirling's series:
     * {@code -(q - 1/2) ln(1 + p/q) - p ln(p + q) + p + S(q) - S(p + q)}, without the cancellation of two
     * logarithms of size {@code q ln q}.
     */
    private static double logGammaRatio(double p, double q) {
        double pq = p + q;
        return -(q - 0.5) * Math.log1p(p / q) - p * Math.log(pq) + p + stirlingCorrection(q) - stirlingCorrection(pq);
    }

    private static IllegalArgumentException failed(String what, String why) {
        return new IllegalArgumentException("the p-value needs the " + what + ", which could not be evaluated ("
                + why + ")");
    }
}
