#!/usr/bin/python3
"""Known answers for the numeric two-sample tests of mlops-drift, computed by SciPy.

Run with Debian's /usr/bin/python3 (SciPy 1.10.1, NumPy 1.24) from this directory:

    /usr/bin/python3 generate.py

It writes cases.json: named input arrays (sorted ascending, as the Java side receives them) and, per
test, cases that name their two arrays and hold SciPy's statistic and p-value, or the error SciPy
raised. The Java tests read cases.json and never run Python.

The arrays use a fixed seed. Their shapes target the branches of SciPy's algorithms: ties, one to
three values, very unequal sizes, identical and disjoint samples, heavy tails, and sizes around 10^4
where ks_2samp and mannwhitneyu switch to asymptotic p-values; "branch" notes on KS cases name the
path SciPy's kstwo takes, to show the coverage.
"""
import json
import warnings

import numpy as np
import scipy
from scipy import stats
from scipy.stats import _mannwhitneyu

SEED = 20240611
rng = np.random.default_rng(SEED)
arrays = {}


def put(name, values):
    values = np.sort(np.asarray(values, dtype=float))
    arrays[name] = [float(v) for v in values]
    return name


def get(name):
    return np.asarray(arrays[name], dtype=float)


# tiny samples
put("one_a", [0.3])
put("one_b", [1.7])
put("one_c", [0.3])
put("two_a", rng.normal(size=2))
put("two_b", rng.normal(loc=0.5, size=2))
put("three_a", rng.normal(size=3))
put("three_b", rng.normal(loc=1.0, size=3))
put("three_tied", [1.0, 1.0, 2.0])
put("two_tied", [1.0, 2.0])
# small samples
put("n5", rng.normal(size=5))
put("n7", rng.normal(loc=0.8, size=7))
put("n8_a", rng.normal(size=8))
put("n8_b", rng.normal(loc=1.2, scale=2.0, size=8))
put("n10", rng.normal(size=10))
put("n12_shift", rng.normal(loc=0.7, size=12))
put("n19", rng.normal(size=19))
put("n20", rng.normal(loc=0.3, scale=1.5, size=20))
put("n20_same", rng.normal(size=20))
put("n30", rng.normal(size=30))
put("n40", rng.normal(loc=0.4, size=40))
put("n150", rng.normal(size=150))
put("n200", rng.normal(loc=0.1, size=200))
put("n300", rng.normal(loc=0.25, size=300))
put("n400", rng.normal(size=400))
put("n500", rng.normal(size=500))
put("n600", rng.normal(loc=0.12, size=600))
put("n700", rng.normal(loc=0.05, size=700))
# ties
put("ties_a", [1, 1, 2, 2, 3])
put("ties_b", [2, 2, 3, 3, 3, 4])
put("pois_40", rng.poisson(3.0, size=40))
put("pois_50", rng.poisson(3.5, size=50))
put("pois_10", rng.poisson(2.0, size=10))
put("pois_12", rng.poisson(2.0, size=12))
put("pois_10000", rng.poisson(4.0, size=10000))
put("pois_12000", rng.poisson(4.1, size=12000))
put("round_200", np.round(rng.normal(size=200), 1))
put("round_250", np.round(rng.normal(loc=0.2, size=250), 1))
# no infinities: NumericSample counts NaN and +-inf as missing before any test sees the data
# constants
put("const2_5", [2.0] * 5)
put("const2_7", [2.0] * 7)
put("const3_6", [3.0] * 6)
# disjoint
put("low_30", rng.uniform(0, 1, size=30))
put("high_40", rng.uniform(5, 6, size=40))
put("low_9", rng.uniform(0, 1, size=9))
put("high_11", rng.uniform(5, 6, size=11))
# heavy tails
put("cauchy_200", rng.standard_cauchy(size=200))
put("cauchy_300", rng.standard_cauchy(size=300) * 2.0)
put("t1_1000", rng.standard_t(1.5, size=1000))
put("lognorm_800", rng.lognormal(sigma=2.0, size=800))
# very unequal sizes and large samples
put("n3_far", rng.normal(loc=2.0, size=3))
put("n5_shift", rng.normal(loc=1.5, size=5))
put("n20_shift", rng.normal(loc=0.8, size=20))
put("n100_shift", rng.normal(loc=0.3, size=100))
put("n5000", rng.normal(size=5000))
put("n9000", rng.normal(loc=0.02, size=9000))
put("n10000", rng.normal(size=10000))
put("n12000", rng.normal(loc=0.01, size=12000))
put("n15000", rng.normal(loc=0.05, size=15000))
put("n2000", rng.normal(size=2000))
put("n3_veryfar", rng.normal(loc=4.0, size=3))
put("n100_far", rng.normal(loc=1.0, size=100))
put("n1000_far", rng.normal(loc=4.0, size=1000))
# n300 with two and with four values moved: tiny KS distances for the small-d branches
moved = np.array(arrays["n300"])
moved[[10, 200]] += 5.0
put("n300_moved2", moved)
moved[[50, 120]] -= 5.0
put("n300_moved4", moved)
# n300 twice over with two values moved: en = 200 and D = 2/600 lands in Ruben-Gambino's (1/2n, 1/n]
twice = np.concatenate([arrays["n300"], arrays["n300"]])
twice[[0, 1]] += 9.0
put("n300_twice_moved2", twice)
put("n3000_shift", rng.normal(loc=1.2, size=3000))


def run(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            res = fn()
            if np.ndim(res) == 0:
                return {"statistic": float(res)}
            return {"statistic": float(res[0]), "pvalue": float(res[1])}
        except (ValueError, IndexError) as e:
            return {"error": str(e)}


def kstwo_branch(d, n1, n2, alternative, method):
    """Which path SciPy's kstwo.sf takes for an asymptotic two-sided ks_2samp (documentation only)."""
    if method == "auto":
        method = "exact" if max(n1, n2) <= 10000 else "asymp"
    if method != "asymp":
        return "exact"
    if alternative != "two-sided":
        return "hodges"
    m, n = sorted([float(n1), float(n2)], reverse=True)
    n = float(np.round(m * n / (m + n)))
    x = d
    if n < 1:
        return "nan-n-rounds-to-0"
    if x <= 0.5 / n:
        return "support-low"
    if x >= 1:
        return "support-high"
    t = n * x
    if t <= 1:
        return "ruben-gambino-low"
    if t >= n - 1:
        return "ruben-gambino-high"
    if x >= 0.5:
        return "smirnov-x>=0.5"
    nxx = t * x
    if n <= 140:
        if nxx <= 0.754693:
            return "durbin-small-n"
        if nxx <= 4:
            return "pomeranz"
        return "smirnov-small-n"
    if nxx >= 370:
        return "zero"
    if nxx >= 2.2:
        return "smirnov"
    if n <= 100000 and n * x ** 1.5 <= 1.4:
        return "durbin"
    return "pelz-good"


def ks_cases():
    specs = [
        ("one_a", "one_b", "two-sided", "auto"),
        ("one_a", "one_c", "two-sided", "auto"),
        ("two_a", "two_b", "two-sided", "auto"),
        ("three_a", "three_b", "two-sided", "auto"),
        ("three_tied", "two_tied", "two-sided", "auto"),
        ("ties_a", "ties_b", "two-sided", "auto"),
        ("ties_a", "ties_b", "less", "auto"),
        ("ties_a", "ties_b", "greater", "auto"),
        ("n8_a", "n8_b", "two-sided", "auto"),
        ("n8_a", "n8_b", "greater", "auto"),
        ("n10", "n12_shift", "two-sided", "auto"),
        ("n10", "n12_shift", "less", "auto"),
        ("n10", "n12_shift", "greater", "auto"),
        ("n19", "n20", "two-sided", "auto"),
        ("n20_same", "n20_same", "two-sided", "auto"),
        ("low_30", "high_40", "two-sided", "auto"),
        ("low_30", "high_40", "less", "auto"),
        ("low_30", "high_40", "greater", "auto"),
        ("pois_40", "pois_50", "two-sided", "auto"),
        ("cauchy_200", "cauchy_300", "two-sided", "auto"),
        ("cauchy_200", "cauchy_300", "greater", "auto"),
        ("n200", "n300", "less", "auto"),
        ("n500", "n700", "less", "auto"),
        ("n600", "n700", "greater", "auto"),
        ("n600", "n600", "greater", "auto"),
        ("n500", "n600", "two-sided", "auto"),
        ("t1_1000", "lognorm_800", "two-sided", "auto"),
        ("n5", "n5000", "two-sided", "auto"),
        ("n5", "n5000", "less", "auto"),
        ("n3_far", "n5000", "greater", "auto"),
        ("n9000", "n10000", "two-sided", "auto"),
        ("n10000", "n10000", "two-sided", "auto"),
        ("pois_10000", "pois_12000", "two-sided", "auto"),
        ("n10000", "n12000", "two-sided", "auto"),
        ("n12000", "n15000", "two-sided", "auto"),
        ("n12000", "n15000", "less", "auto"),
        ("n12000", "n15000", "greater", "auto"),
        ("n3_far", "n12000", "two-sided", "auto"),
        ("n5_shift", "n15000", "two-sided", "auto"),
        ("n20_shift", "n12000", "two-sided", "auto"),
        ("n100_shift", "n15000", "two-sided", "auto"),
        ("n2000", "n15000", "two-sided", "auto"),
        ("n150", "n12000", "two-sided", "auto"),
        ("n20_same", "n12000", "two-sided", "auto"),
        ("n3_veryfar", "n12000", "two-sided", "auto"),
        ("n100_far", "n15000", "two-sided", "auto"),
        ("n20_same", "n20", "two-sided", "auto"),
        ("n20_same", "n20", "less", "auto"),
        ("n300", "n300_moved4", "two-sided", "auto"),
        ("n300", "n300_moved4", "two-sided", "asymp"),
        ("n300", "n300_moved2", "two-sided", "asymp"),
        ("n2000", "n1000_far", "two-sided", "asymp"),
        ("n400", "n1000_far", "two-sided", "asymp"),
        ("n2000", "n1000_far", "two-sided", "auto"),
        ("n300", "n300_twice_moved2", "two-sided", "asymp"),
        ("n3000_shift", "n12000", "two-sided", "auto"),
        ("one_a", "one_b", "two-sided", "asymp"),
        ("two_a", "two_b", "two-sided", "asymp"),
        ("n8_a", "n8_b", "two-sided", "asymp"),
        ("n10", "n12_shift", "two-sided", "asymp"),
        ("n19", "n20", "two-sided", "asymp"),
        ("n150", "n200", "two-sided", "asymp"),
        ("n400", "n500", "two-sided", "asymp"),
        ("n300", "n400", "two-sided", "asymp"),
        ("n200", "n300", "greater", "asymp"),
        ("n5", "n2000", "two-sided", "exact"),
        ("n12000", "n15000", "two-sided", "exact"),
        ("n700", "n600", "less", "exact"),
    ]
    cases = []
    for x, y, alternative, method in specs:
        case = {"x": x, "y": y, "alternative": alternative, "method": method}
        case.update(run(lambda: stats.ks_2samp(get(x), get(y), alternative=alternative, method=method)))
        if "statistic" in case:
            case["branch"] = kstwo_branch(case["statistic"], len(arrays[x]), len(arrays[y]), alternative, method)
        cases.append(case)
    return cases


def pair_cases(fn, specs):
    cases = []
    for spec in specs:
        x, y = spec[0], spec[1]
        opts = spec[2] if len(spec) > 2 else {}
        case = {"x": x, "y": y}
        case.update(opts)
        a, b = get(x), get(y)
        case.update(run(lambda: fn(a, b, **opts)))
        cases.append(case)
    return cases


COMMON_PAIRS = [
    ("one_a", "one_b"),
    ("two_a", "two_b"),
    ("three_a", "three_b"),
    ("three_tied", "two_tied"),
    ("ties_a", "ties_b"),
    ("n5", "n7"),
    ("n8_a", "n8_b"),
    ("n10", "n12_shift"),
    ("n19", "n20"),
    ("n20_same", "n20_same"),
    ("low_9", "high_11"),
    ("low_30", "high_40"),
    ("pois_10", "pois_12"),
    ("pois_40", "pois_50"),
    ("round_200", "round_250"),
    ("cauchy_200", "cauchy_300"),
    ("t1_1000", "lognorm_800"),
    ("n30", "n40"),
    ("n5", "n5000"),
    ("n10000", "n12000"),
    ("n12000", "n15000"),
    ("pois_10000", "pois_12000"),
    ("const2_5", "const3_6"),
    ("const2_5", "const2_7"),
]


def cvm_cases():
    specs = [p for p in COMMON_PAIRS] + [
        ("n5", "n7", {"method": "asymptotic"}),
        ("n19", "n20", {"method": "asymptotic"}),
        ("n20_same", "n20", {}),
        ("pois_10", "pois_12", {"method": "asymptotic"}),
        ("n2000", "n15000", {}),
        ("n150", "n200", {}),
    ]
    return pair_cases(lambda a, b, **o: (lambda r: (r.statistic, r.pvalue))(stats.cramervonmises_2samp(a, b, **o)),
                      specs)


def ad_cases():
    specs = [p for p in COMMON_PAIRS] + [
        ("one_a", "two_tied"),
        ("n400", "n500"),
        ("n200", "n300"),
        ("n150", "n200"),
        ("n9000", "n10000"),
    ]
    cases = pair_cases(lambda a, b: (lambda r: (r.statistic, r.pvalue))(stats.anderson_ksamp([a, b])), specs)
    for names in [("n10", "n12_shift", "n19"), ("n150", "n200", "n300"), ("pois_40", "pois_50", "pois_10"),
                  ("n20_same", "n20_same", "n20_same"), ("low_9", "n5", "high_11", "n8_a")]:
        case = {"samples": list(names)}
        case.update(run(lambda: (lambda r: (r.statistic, r.pvalue))(stats.anderson_ksamp([get(n) for n in names]))))
        cases.append(case)
    return cases


def mwu_cases():
    # SciPy's exact table for 5 vs 5000 values takes 10 GB and minutes; 5 vs 2000 shows the same path
    specs = [p for p in COMMON_PAIRS if p != ("n5", "n5000")] + [
        ("n5", "n2000"),
        ("one_a", "one_c"),
        ("n5", "n500"),
        ("n3_far", "n2000"),
        ("n8_a", "n150"),
        ("n8_a", "n8_b", {"method": "asymptotic"}),
        ("n5", "n7", {"method": "exact"}),
        ("n9000", "n10000"),
    ]
    cases = []
    for spec in specs:
        cases += pair_cases(lambda a, b, **o: tuple(stats.mannwhitneyu(a, b, **o)), [spec])
        # SciPy memoizes its exact table across calls; drop it to keep memory small
        _mannwhitneyu._mwu_state = _mannwhitneyu._MWU()
    return cases


def welch_cases():
    specs = [p for p in COMMON_PAIRS] + [
        ("one_a", "two_a"),
        ("n9000", "n10000"),
        ("n3_far", "n5000"),
        ("low_9", "high_11"),
    ]
    return pair_cases(lambda a, b: tuple(stats.ttest_ind(a, b, equal_var=False)), specs)


def distance_cases(fn):
    specs = [p for p in COMMON_PAIRS] + [("one_a", "one_c"), ("n9000", "n10000"), ("n3_far", "n15000")]
    return pair_cases(fn, specs)


def special_values():
    """Values of the distributions behind the p-values, on grids that reach every branch."""
    from scipy.special import kv, smirnov
    from scipy.stats._hypotests import _cdf_cvm_inf
    kstwo = []
    for n in [1, 2, 3, 5, 10, 50, 140, 141, 500, 2000, 100000, 100001, 500000]:
        for x in [0.4 / n, 0.75 / n, 1.0 / n, 1.5 / n, 0.001, 0.004, 0.01, 0.03, 0.05, 0.1, 0.2, 0.3, 0.45, 0.5,
                  0.6, 0.9, 1 - 0.5 / n, 1.0]:
            if 0 <= x <= 1:
                kstwo.append({"n": n, "x": x, "sf": float(stats.kstwo.sf(x, n)),
                              "cdf": float(stats.kstwo.cdf(x, n))})
    smirnov_values = []
    for n in [1, 2, 5, 20, 100, 1012, 1013, 5000, 200000, 1000000]:
        for x in [0.0, 0.5 / n, 1.0 / n, 0.01, 0.05, 0.1, 0.3, 0.5, 0.8, 1 - 0.5 / n, 1.0]:
            if 0 <= x <= 1:
                smirnov_values.append({"n": n, "x": x, "sf": float(smirnov(n, x))})
    bessel = [{"nu": 0.25, "z": float(z), "exp_minus_z_kv": float(np.exp(-z) * kv(0.25, z))}
              for z in np.geomspace(1e-5, 700, 60)]
    cvm = [{"x": float(x), "cdf": float(_cdf_cvm_inf(x))} for x in [0.003, 0.01, 0.05, 0.1, 0.2, 0.461, 0.7, 1.0,
                                                                 1.5, 2.0, 3.0]]
    return {"kstwo": kstwo, "smirnov": smirnov_values, "kv": bessel, "cvm_limiting_cdf": cvm}


def main():
    cases = {
        "ks_2samp": ks_cases(),
        "cramervonmises_2samp": cvm_cases(),
        "anderson_ksamp": ad_cases(),
        "mannwhitneyu": mwu_cases(),
        "ttest_ind_welch": welch_cases(),
        "wasserstein_distance": distance_cases(stats.wasserstein_distance),
        "energy_distance": distance_cases(stats.energy_distance),
    }
    out = {
        "generator": "generate.py",
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "seed": SEED,
        "arrays": arrays,
        "cases": cases,
        "special": special_values(),
    }
    with open("cases.json", "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    for name, cs in cases.items():
        print(name, len(cs), "cases")


if __name__ == "__main__":
    main()
