#!/usr/bin/python3
"""Known answers for mlops-drift's special functions (dev.mlops.drift.internal.Special), computed by
SciPy 1.10.1 and checked against mpmath.

Run with Debian's /usr/bin/python3 (SciPy 1.10.1, NumPy 1.24, and mpmath from the python3-mpmath
package) from this directory:

    /usr/bin/python3 generate.py

It writes special.json with one list per function: scipy.special.gammaln(x), gammaincc(a, x) (the
regularized upper incomplete gamma Q), gammainc(a, x) (P), betainc(a, b, x) (the regularized
incomplete beta I_x(a, b)) and erfc(x). Each row holds the arguments, SciPy's value ("scipy") and the
value mpmath computes with 60 significant digits, rounded to the nearest double ("exact"). The Java
test (SpecialFunctionsTest) reads special.json and never runs Python; it holds the Java values to
both, SciPy's within the error SciPy itself makes (|scipy - exact|, also stored, as "scipy_error")
plus the Java bound.

The arguments reach the regimes where naive formulas lose digits: ln Gamma near its zeros at 1 and 2
and at 1e300; Q and P for a from 1e-10 to 1e7, x from 1e-300 to where the value is 1e-300, most
densely within a few sqrt(a) of a, where the series and continued fractions run longest, and for tiny
a, where Q = 1 - P would cancel; I_x(a, b) for a and b from 1e-3 to 1e6 around the mean a / (a + b),
in the far tails and at x within 1e-12 of 0 and 1; erfc from -6 to 27 (where it is 5e-326), across
its switch at |x| = 1 and at tiny x. Rows whose exact value is below 1e-300 are left out: the Java
bound is relative, and such values are past every p-value the library reports.
"""
import json
import math

import mpmath as mp
import numpy as np
import scipy
from scipy import special

mp.mp.dps = 60
FLOOR = 1e-300


def exact(value):
    return float(mp.mpf(value))


def row(args, scipy_value, exact_value):
    out = dict(args)
    out["scipy"] = float(scipy_value)
    out["exact"] = exact_value
    if exact_value == 0:
        out["scipy_error"] = abs(float(scipy_value))
    else:
        out["scipy_error"] = abs(float(scipy_value) - exact_value) / abs(exact_value)
    return out


def gammaln_rows():
    xs = [1e-300, 1e-100, 1e-20, 1e-8, 1e-3, 0.1, 0.25, 0.4999, 0.5, 0.75, 0.999, 0.9999999,
          1 - 2.0 ** -40, 1.0, 1 + 2.0 ** -40, 1.0000001, 1.001, 1.25, 1.4999, 1.5, 1.75, 1.999, 1.9999999,
          2 - 2.0 ** -40, 2.0, 2 + 2.0 ** -40, 2.0000001, 2.001, 2.25, 2.4999, 2.5, 2.5001, 3.0, 3.5, 4.0,
          5.5, 7.25, 9.5, 9.999999, 10.0, 10.000001, 12.5, 20.0, 33.3, 50.0, 100.5, 171.0, 1e3, 12345.678,
          1e5, 1e7, 1e10, 1e15, 1e20, 1e50, 1e100, 1e200, 1e300, 2e305]
    xs += [float(n) for n in range(1, 31)]
    xs = sorted(set(xs))
    return [row({"x": x}, special.gammaln(x), exact(mp.loggamma(mp.mpf(x)))) for x in xs]


def gamma_points():
    points = set()
    for a in [1e-10, 1e-5, 1e-3, 0.01, 0.1, 0.3, 0.4999, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 4.5, 5.0, 9.5, 10.0,
              10.5, 15.0, 25.0, 50.0, 100.0, 250.5, 1e3, 1e4, 1e5, 1e6, 1e7]:
        xs = [1e-300, 1e-100, 1e-20, 1e-5, 0.01, 0.1, 0.5, 1.0, 1.4, 2.0, 5.0, 10.0, 30.0, 100.0, 300.0, 700.0]
        xs += [a * r for r in [1e-3, 0.1, 0.5, 0.8, 0.9, 0.95, 0.99, 1.0, 1.01, 1.05, 1.1, 1.2, 1.5, 2.0, 3.0, 5.0]]
        xs += [a + k * math.sqrt(a) for k in [-20, -10, -5, -3, -2, -1, -0.5, -0.1, 0.1, 0.5, 1, 2, 3, 5, 10, 20, 40]]
        xs += [a + 1 - 1e-9, a + 1, a + 1 + 1e-9]
        for x in xs:
            if 0 < x < 1e300:
                points.add((a, float(x)))
    return sorted(points)


def gamma_exact(a, x):
    """(P, Q) to 60 digits: the smaller directly, the other as its complement. mpmath's own lower
    gamma gives up on large a, so P is its hypergeometric series x^a e^-x / Gamma(a + 1) 1F1(1; a + 1; x)
    (Abramowitz and Stegun 6.5.12) with room for enough terms."""
    a, x = mp.mpf(a), mp.mpf(x)
    if x < a:
        p = mp.exp(a * mp.log(x) - x - mp.loggamma(a + 1)) * mp.hyp1f1(1, a + 1, x, maxterms=10 ** 8)
        return p, 1 - p
    q = mp.gammainc(a, x, mp.inf, regularized=True)
    return 1 - q, q


def gamma_rows():
    q_rows, p_rows = [], []
    for a, x in gamma_points():
        p, q = (exact(v) for v in gamma_exact(a, x))
        if q >= FLOOR:
            q_rows.append(row({"a": a, "x": x}, special.gammaincc(a, x), q))
        if p >= FLOOR:
            p_rows.append(row({"a": a, "x": x}, special.gammainc(a, x), p))
    return q_rows, p_rows


def beta_series(a, b, x, max_terms):
    """I_x(a, b) = x^a (1 - x)^b / (a B(a, b)) sum_n (a + b)_n / (a + 1)_n x^n (Abramowitz and Stegun 26.5.23
    with 15.1.1), summed term by term below the mean a / (a + b), where the terms fall geometrically,
    and by I_x(a, b) = 1 - I_(1-x)(b, a) above it."""
    if x > a / (a + b):
        complement = beta_series(b, a, 1 - x, max_terms)
        return None if complement is None else 1 - complement
    log_front = a * mp.log(x) + b * mp.log1p(-x) - (mp.loggamma(a) + mp.loggamma(b) - mp.loggamma(a + b))
    term, total, n = mp.mpf(1), mp.mpf(1), 0
    while term > total * mp.mpf(10) ** -65:
        term *= (a + b + n) * x / (a + 1 + n)
        total += term
        n += 1
        if n > max_terms:
            return None
    return mp.exp(log_front) / a * total


def beta_exact(a, b, x):
    """A short series first (mpmath's betainc gives up, slowly, on large a and b near the mean, where
    the series is quick), then mpmath's betainc (quick near x = 0 or 1 with a small parameter, where
    the series is slow), then a long series; where two of them work they agree to 1e-54."""
    first_terms = 10 ** 6 if min(a, b) >= 1000 else 2 * 10 ** 4
    a, b, x = mp.mpf(a), mp.mpf(b), mp.mpf(x)
    value = beta_series(a, b, x, first_terms)
    if value is None:
        try:
            value = mp.betainc(a, b, 0, x, regularized=True)
        except mp.libmp.NoConvergence:
            value = beta_series(a, b, x, 10 ** 7)
    return exact(value)


def beta_points():
    shapes = [1e-3, 0.1, 0.5, 1.0, 2.5, 5.0, 9.5, 10.0, 20.0, 50.0, 100.0, 1e3, 1e4, 1e5, 1e6]
    points = set()
    for a in shapes:
        for b in shapes:
            mean = a / (a + b)
            sd = math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
            xs = [1e-300, 1e-100, 1e-12, 1e-6, 1e-3, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1 - 1e-6, 1 - 1e-12]
            xs += [mean + k * sd for k in [-10, -5, -3, -2, -1, -0.3, 0, 0.3, 1, 2, 3, 5, 10]]
            xs += [(a + 1) / (a + b + 2)]
            for x in xs:
                if 0 < x < 1:
                    points.add((a, b, float(x)))
    return sorted(points)


def beta_rows():
    rows = []
    for a, b, x in beta_points():
        value = beta_exact(a, b, x)
        if value >= FLOOR:
            rows.append(row({"a": a, "b": b, "x": x}, special.betainc(a, b, x), value))
    return rows


def erfc_rows():
    xs = [-6.0, -3.0, -1.5, -1.0, -0.999999, -0.5, -1e-3, -1e-300, 0.0, 1e-300, 1e-20, 1e-8, 1e-3, 0.1, 0.3, 0.5,
          0.7, 0.9, 0.99, 0.999999, 1.0, 1.000001, 1.01, 1.1, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 7.5,
          8.0, 10.0, 12.5, 15.0, 20.0, 25.0, 26.0, 26.5]
    xs += [float(v) for v in np.linspace(0, 26, 105)]
    xs = sorted(set(xs))
    out = []
    for x in xs:
        value = exact(mp.erfc(mp.mpf(x)))
        if value >= FLOOR:
            out.append(row({"x": x}, special.erfc(x), value))
    return out


def write(out):
    """JSON with one row to a line, so that a diff shows which rows changed."""
    lines = ["{"]
    items = list(out.items())
    for i, (key, value) in enumerate(items):
        end = "," if i + 1 < len(items) else ""
        if isinstance(value, list):
            lines.append(f"{json.dumps(key)}:[")
            lines += [json.dumps(row, separators=(",", ":")) + ("," if j + 1 < len(value) else "")
                      for j, row in enumerate(value)]
            lines.append("]" + end)
        else:
            lines.append(f"{json.dumps(key)}:{json.dumps(value)}{end}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    q_rows, p_rows = gamma_rows()
    out = {
        "scipy_version": scipy.__version__,
        "mpmath_version": mp.__version__,
        "gammaln": gammaln_rows(),
        "gammaincc": q_rows,
        "gammainc": p_rows,
        "betainc": beta_rows(),
        "erfc": erfc_rows(),
    }
    with open("special.json", "w") as f:
        f.write(write(out))
    for name in ["gammaln", "gammaincc", "gammainc", "betainc", "erfc"]:
        worst = max(out[name], key=lambda r: r["scipy_error"])
        print(f"{name}: {len(out[name])} rows, SciPy's largest relative error {worst['scipy_error']:.3g} at {worst}")


if __name__ == "__main__":
    main()
