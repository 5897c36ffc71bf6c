#!/usr/bin/python3
"""Known answers for the SciPy options that DriftDetectors.builder exposes, computed by SciPy 1.10.1.

Run with Debian's /usr/bin/python3 (SciPy 1.10.1, NumPy 1.24) from this directory:

    /usr/bin/python3 generate.py

It writes options.json; the Java tests (ScipyOptionsTest) read it and never run Python.

"ks_2samp": scipy.stats.ks_2samp(x, y, alternative, method) for method in auto, exact and asymp on the
same pairs (arrays past 10,000 values are stored as "grids", formulas evaluated on both sides with
the same double operations, to keep the file small): tiny, small, equal and unequal sizes, ties, sizes past 10,000 (where auto turns
asymptotic), and the two ways SciPy falls back from 'exact' to 'asymp' with a RuntimeWarning: the
sizes' least common multiple too large (n1/g >= (2^31 - 1)/(n2/g)), and a count that overflows (the
one-sided exact count for unequal sizes, whose binomial exceeds the double range). "warning" holds
the warning SciPy gave, if any, so the fallback is visible in the file. Arrays are stored sorted.

"chi2_contingency": scipy.stats.chi2_contingency(table, correction, lambda_) for correction True and
False and lambda_ None (Pearson) and "log-likelihood" (G-test), on 2 x 2 tables (one degree of
freedom, where Yates' correction applies: small, large, |o - e| under 0.5 so the correction is capped,
a zero cell, margins near 2^31) and on 2 x 3 tables, where SciPy ignores the correction. Row 0 is the
reference, row 1 the current sample.
"""
import json
import warnings

import numpy as np
import scipy
from scipy import stats

SEED = 20240613
rng = np.random.default_rng(SEED)
arrays = {}


def put(name, values):
    arrays[name] = [float(v) for v in np.sort(np.asarray(values, dtype=float))]


grids = {}


def put_grid(name, n, a, shift, power):
    """Large arrays are stored as a formula the Java side evaluates with the same double operations:
    value_i = ((i + a) / n) ** power + shift for i = 0 .. n-1 (power 1 or 2), then sorted."""
    i = np.arange(n, dtype=float)
    values = (i + a) / n
    if power == 2:
        values = values * values
    arrays[name] = [float(v) for v in np.sort(values + shift)]
    grids[name] = {"n": n, "a": a, "shift": shift, "power": power}


def get(name):
    return np.asarray(arrays[name], dtype=float)


put("n3", rng.normal(size=3))
put("n4_shift", rng.normal(loc=1.0, size=4))
put("n8", rng.normal(size=8))
put("n10_shift", rng.normal(loc=0.9, size=10))
put("n25", rng.normal(size=25))
put("n25_b", rng.normal(loc=0.4, size=25))
put("n60", rng.normal(size=60))
put("n90", rng.normal(loc=0.3, size=90))
put("ties_40", rng.integers(0, 5, size=40))
put("ties_55", rng.integers(1, 6, size=55))
put("n1000", rng.normal(size=1000))
put("n1500", rng.normal(loc=0.08, size=1500))
put_grid("n20000", 20000, 0.5, 0.0, 1)
put_grid("n30000", 30000, 0.25, 0.012, 1)
put_grid("n12000", 12000, 0.5, 0.0, 1)
put_grid("n12000_b", 12000, 0.3, 0.01, 1)
put_grid("n50000", 50000, 0.5, 0.0, 1)
put_grid("n49999", 49999, 0.7, 0.005, 1)
put("n700", rng.normal(size=700))
put("n1100", rng.normal(loc=0.1, size=1100))


def ks_cases():
    pairs = [
        ("n3", "n4_shift", "two-sided"),
        ("n8", "n10_shift", "two-sided"),
        ("n25", "n25_b", "two-sided"),
        ("n60", "n90", "two-sided"),
        ("ties_40", "ties_55", "two-sided"),
        ("n1000", "n1500", "two-sided"),
        ("n12000", "n12000_b", "two-sided"),
        ("n20000", "n30000", "two-sided"),
        # lcm too large: exact falls back to asymp
        ("n50000", "n49999", "two-sided"),
        # one-sided exact count overflows: exact falls back to asymp (internal API only)
        ("n700", "n1100", "greater"),
        ("n25", "n60", "less"),
    ]
    cases = []
    for x, y, alternative in pairs:
        for method in ["auto", "exact", "asymp"]:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                r = stats.ks_2samp(get(x), get(y), alternative=alternative, method=method)
            case = {"x": x, "y": y, "alternative": alternative, "method": method,
                    "statistic": float(r.statistic), "pvalue": float(r.pvalue)}
            messages = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
            if messages:
                case["warning"] = messages[0]
            cases.append(case)
    return cases


def chi2_cases():
    tables = [
        ("small", [[3, 7], [8, 2]]),
        ("moderate", [[120, 80], [95, 105]]),
        ("large", [[480000, 520000], [30100, 29900]]),
        ("tiny_difference", [[50, 50], [50, 51]]),
        ("capped_correction", [[10, 10], [10, 11]]),
        ("zero_cell", [[0, 12], [5, 9]]),
        ("unequal_rows", [[1, 999], [9, 991]]),
        ("margins_near_2^31", [[1500000000, 700000000], [1400000000, 800000000]]),
        ("three_columns", [[20, 30, 50], [25, 30, 45]]),
        ("three_columns_large", [[200000, 300000, 500000], [2050, 3000, 4950]]),
    ]
    cases = []
    for name, table in tables:
        for correction in [True, False]:
            for lambda_ in [None, "log-likelihood"]:
                stat, p, dof, _ = stats.chi2_contingency(np.array(table), correction=correction, lambda_=lambda_)
                cases.append({"name": name, "table": table, "correction": correction,
                              "lambda": "pearson" if lambda_ is None else lambda_,
                              "statistic": float(stat), "pvalue": float(p), "dof": int(dof)})
    return cases


def main():
    out = {
        "generator": "generate.py",
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "seed": SEED,
        "arrays": {k: v for k, v in arrays.items() if k not in grids},
        "grids": grids,
        "ks_2samp": ks_cases(),
        "chi2_contingency": chi2_cases(),
    }
    with open("options.json", "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    for c in out["ks_2samp"]:
        print(c["x"], c["y"], c["alternative"], c["method"], c["statistic"], c["pvalue"], c.get("warning", ""))


if __name__ == "__main__":
    main()
