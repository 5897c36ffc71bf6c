#!/usr/bin/python3
"""Known answers for tie-heavy and huge-magnitude samples, computed by SciPy 1.10.1.

Run with Debian's /usr/bin/python3 (SciPy 1.10.1, NumPy 1.24) from this directory:

    /usr/bin/python3 generate.py

It writes ties.json with two lists. The Java tests (TiesAndMagnitudesTest) read it and never run Python.

"ties": samples of up to 10^7 values on few distinct values, stored as VALUE COUNTS (ascending values
and how often each occurs, per sample) so that the file stays small; the Java side expands them into
sorted arrays. Each case holds SciPy's statistic and p-value for anderson_ksamp (midrank),
mannwhitneyu (two-sided, continuity, auto), cramervonmises_2samp (auto) and ks_2samp (two-sided,
auto). Sizes and tie groups are chosen to cross the overflow points of the old code: N * (tie size)
past 2^31 (Anderson-Darling's int product), N past 2^21 (N^3 in a long), tie groups past 2^21 values.

One deliberate departure from plain SciPy: mannwhitneyu's tie term sum(t^3 - t) is an int64 in SciPy
1.10.1 and wraps once a tie group exceeds 2^21 = 2,097,152 values (t^3 > 2^63). For such cases
("tie_term_patched": true) the known answer is SciPy's mannwhitneyu with _tie_term replaced by the same
sum in Python integers, i.e. what SciPy computes without the wrap; "scipy_int64" keeps plain SciPy's
(wrong) answer for the record.

"magnitudes": values near the ends of the double range (about 1e300 to 1.8e308) and subnormal values.
SciPy overflows (or underflows) on them itself, so the known answers are produced by running SciPy on
the data multiplied by an exact power of two, 2^-k, where nothing overflows; the stored arrays are
those scaled values ("scaled"), and the Java side multiplies them by 2^k (exact: "exponent" k).
Welch's t and its p-value and the normed Wasserstein distance (W divided by the reference's numpy.std,
at least Evidently's floor 0.001, which these data exceed by far) are scale invariant, so their known
answers are SciPy's on the scaled data. The Wasserstein distance scales linearly: its answer is
SciPy's times 2^k, which may exceed the double range ("wasserstein_exceeds_double": the Java side must
refuse). The energy distance sqrt(2 * integral (F - G)^2) scales as the square root: its answer is
SciPy's times 2^(k/2) (k is even). "scipy_unscaled" records what SciPy answers on the unscaled data,
to show the defect the scaling avoids.
"""
import json
import warnings

import numpy as np
import scipy
from scipy import stats
from scipy.stats import _mannwhitneyu

SEED = 20240612
rng = np.random.default_rng(SEED)


def expand(counts):
    values = sorted(counts)
    return np.repeat(np.asarray(values, dtype=float), [counts[v] for v in values])


def as_counts(counts):
    values = sorted(counts)
    return {"values": [float(v) for v in values], "counts": [int(counts[v]) for v in values]}


def quiet(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn()


def exact_tie_term(ranks):
    _, t = np.unique(ranks, return_counts=True, axis=-1)
    return float(sum(int(c) ** 3 - int(c) for c in t))


def tie_cases():
    specs = [
        # the example: 10^5 values on 3 distinct values
        ("issue_1e5_three_values", {0: 20000, 1: 20000, 2: 10000}, {0: 15000, 1: 20000, 2: 15000}),
        # no drift at all: A2 near 0 tests the cancellation in (A2kN - 1) / sigma
        ("same_shares_1e6", {0: 100000, 1: 250000, 2: 150000}, {0: 100000, 1: 250000, 2: 150000}),
        ("slight_shift_1e6", {0: 100000, 1: 250000, 2: 150000}, {0: 100500, 1: 249000, 2: 150500}),
        # N past 2^21 (N^3 overflows a long), N * tie size far past 2^31
        ("binary_3e6", {0.0: 1200000, 1.0: 300000}, {0.0: 1150000, 1.0: 350000}),
        # tie groups past 2^21 values: SciPy's int64 tie term wraps
        ("five_values_1e7", {-2: 1000000, -1: 1500000, 0: 1500000, 1: 700000, 2: 300000},
         {-2: 950000, -1: 1450000, 0: 1600000, 1: 700000, 2: 300000}),
        # the same with a shift so slight that the p-values are moderate: the wrapped tie term shows
        ("five_values_1e7_slight", {-2: 1000000, -1: 1500000, 0: 1500000, 1: 700000, 2: 300000},
         {-2: 999000, -1: 1500500, 0: 1500000, 1: 700300, 2: 300200}),
        ("unequal_sizes_1e7", {0.5: 6000000, 1.5: 2000000}, {0.5: 1400000, 1.5: 600000}),
        # many distinct values with moderate ties: Poisson counts
        ("poisson_1e6", None, None),
        # a giant tie beside a spread of distinct values
        ("zero_inflated_2e6", None, None),
    ]
    cases = []
    for name, cx, cy in specs:
        if name == "poisson_1e6":
            x = rng.poisson(4.0, size=600000)
            y = rng.poisson(4.05, size=400000)
            vx, nx_ = np.unique(x, return_counts=True)
            vy, ny_ = np.unique(y, return_counts=True)
            cx = dict(zip(vx.tolist(), nx_.tolist()))
            cy = dict(zip(vy.tolist(), ny_.tolist()))
        if name == "zero_inflated_2e6":
            cx = {0.0: 1000000}
            cx.update({float(v): 1 for v in np.round(rng.uniform(1, 100, size=2000), 6)})
            cy = {0.0: 995000}
            cy.update({float(v): 1 for v in np.round(rng.uniform(1, 100, size=3000), 6)})
        x = expand(cx)
        y = expand(cy)
        case = {"name": name, "x": as_counts(cx), "y": as_counts(cy), "n": int(x.size + y.size),
                "largest_tie": int(max(max(cx.values()), max(cy.values()),
                                       max(cx.get(v, 0) + cy.get(v, 0) for v in set(cx) | set(cy))))}
        r = quiet(lambda: stats.anderson_ksamp([x, y]))
        case["anderson_ksamp"] = {"statistic": float(r.statistic), "pvalue": float(r.pvalue)}
        r = quiet(lambda: stats.mannwhitneyu(x, y))
        plain = {"statistic": float(r.statistic), "pvalue": float(r.pvalue)}
        if case["largest_tie"] > 2 ** 21:
            original = _mannwhitneyu._tie_term
            _mannwhitneyu._tie_term = exact_tie_term
            try:
                r = quiet(lambda: stats.mannwhitneyu(x, y))
            finally:
                _mannwhitneyu._tie_term = original
            case["mannwhitneyu"] = {"statistic": float(r.statistic), "pvalue": float(r.pvalue),
                                    "tie_term_patched": True, "scipy_int64": plain}
        else:
            case["mannwhitneyu"] = plain
        r = quiet(lambda: stats.cramervonmises_2samp(x, y))
        case["cramervonmises_2samp"] = {"statistic": float(r.statistic), "pvalue": float(r.pvalue)}
        r = quiet(lambda: stats.ks_2samp(x, y))
        case["ks_2samp"] = {"statistic": float(r.statistic), "pvalue": float(r.pvalue)}
        cases.append(case)
        print(name, case["n"], "values")
    return cases


def magnitude_cases():
    # (name, x scaled, y scaled, k): the data are x * 2^k and y * 2^k
    specs = [
        ("near_1e307", rng.normal(0.0, 1.0, 1000), rng.normal(0.1, 1.0, 1200), 1020),
        ("near_max", rng.uniform(-1.9, 1.9, 500), rng.uniform(-1.7, 1.9, 700), 1022),
        ("ends_of_range", np.array([-1.99, 1.99]), np.array([-1.5, 1.0, 1.99]), 1022),
        # W = 7.75 * 2^1022 exceeds Double.MAX_VALUE: the Java side must refuse the plain distance
        ("opposite_ends", np.array([-3.9, -3.8]), np.array([3.8, 3.95]), 1022),
        ("near_1e300", rng.normal(3.0, 0.5, 300), rng.normal(3.2, 0.6, 400), 994),
        ("subnormal", rng.integers(0, 1000, 800).astype(float), rng.integers(50, 1100, 900).astype(float), -1074),
    ]
    cases = []
    for name, xs, ys, k in specs:
        assert k % 2 == 0
        xs = np.sort(xs)
        ys = np.sort(ys)
        x = np.ldexp(xs, k)
        y = np.ldexp(ys, k)
        assert np.all(np.isfinite(x)) and np.all(np.isfinite(y))
        # the scaling must be exact both ways, or the known answer would be for other data
        assert np.array_equal(np.ldexp(x, -k), xs) and np.array_equal(np.ldexp(y, -k), ys), name
        case = {"name": name, "exponent": k, "scaled_x": xs.tolist(), "scaled_y": ys.tolist()}
        t = quiet(lambda: stats.ttest_ind(xs, ys, equal_var=False))
        case["ttest_ind_welch"] = {"statistic": float(t.statistic), "pvalue": float(t.pvalue)}
        w = stats.wasserstein_distance(xs, ys)
        std = float(np.std(xs))
        if np.ldexp(std, k) >= 0.001:
            # Evidently's floor 0.001 does not apply: W / std is scale invariant
            case["wasserstein_normed"] = {"statistic": float(w / std)}
        full = np.ldexp(w, k)
        if np.isinf(full):
            case["wasserstein_distance"] = {"exceeds_double": True}
        else:
            case["wasserstein_distance"] = {"statistic": float(full)}
        e = stats.energy_distance(xs, ys)
        case["energy_distance"] = {"statistic": float(np.ldexp(e, k // 2))}
        un = {}
        un["ttest_ind_welch"] = [float(v) for v in quiet(lambda: stats.ttest_ind(x, y, equal_var=False))]
        un["wasserstein_normed"] = float(quiet(lambda: stats.wasserstein_distance(x, y) / max(np.std(x), 0.001)))
        un["energy_distance"] = float(quiet(lambda: stats.energy_distance(x, y)))
        case["scipy_unscaled"] = un
        cases.append(case)
    return cases


def main():
    out = {
        "generator": "generate.py",
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "seed": SEED,
        "ties": tie_cases(),
        "magnitudes": magnitude_cases(),
    }
    with open("ties.json", "w") as f:
        json.dump(out, f, separators=(",", ":"), allow_nan=True)
        f.write("\n")


if __name__ == "__main__":
    main()
