#!/usr/bin/python3
"""Known answers for the categorical tests and distribution distances of mlops-drift.

Run with Debian's /usr/bin/python3 (SciPy 1.10.1, NumPy 1.24):

    cd mlops-drift/src/test/resources/scipy/categorical && /usr/bin/python3 generate.py

It writes three JSON files beside itself; the Java tests read them and never run Python.

Where each expected value comes from:

* tables.json: one case per pair of aligned count vectors (reference, current).
  - chi2_homogeneity_{yates,plain}: scipy.stats.chi2_contingency on the 2 x k table, correction=True/False.
    SciPy raises on a category that neither sample holds (its expected frequency is zero); such
    columns carry no information, so both we and this script drop them first.
  - g_homogeneity_{yates,plain}: the same with lambda_="log-likelihood".
  - chi2_gof / g_gof: scipy.stats.chisquare / scipy.stats.power_divergence(lambda_="log-likelihood")
    of the current counts against the reference counts scaled to the current total (as Evidently's
    chisquare test does), after the same dropping. null where SciPy answers NaN (one category only:
    zero degrees of freedom).
  - two_proportion_z: SciPy has no two-proportion z-test, so this is the pooled formula written out
    below with scipy.stats.norm.sf for the tail, cross-checked here against
    chi2_contingency(correction=False) on the collapsed 2 x 2 table (z^2 equals chi^2 and the
    p-values agree). "Hits" are the counts of the first column.
  - jensen_shannon / jensen_shannon_base2: scipy.spatial.distance.jensenshannon on the raw counts
    (it normalises), natural log and base 2.
  - kl: scipy.stats.entropy(reference, current) on Evidently's zero-filled shares (see below).
  - psi: NumPy formula replicating Evidently's psi stattest on its zero-filled shares (no SciPy
    function exists): sum((r - c) * ln(r / c)), shares not renormalised after filling.
  - hellinger: scipy.spatial.distance.euclidean(sqrt(p), sqrt(q)) / sqrt(2) on the normalised shares,
    which equals Evidently's sqrt(1 - sum(sqrt(p q))) without its cancellation near zero.
  - total_variation: scipy.spatial.distance.cityblock(p, q) / 2; l_infinity: chebyshev(p, q).
* fisher.json: scipy.stats.fisher_exact on 2 x 2 tables, alternatives two-sided, less, greater.
* binned.json: numeric samples binned by a NumPy-only replica of Evidently's get_binned_data
  (evidently/calculations/stattests/utils.py): more than 20 distinct reference values -> edges from
  numpy.histogram_bin_edges(reference + current, bins="sturges") and counts from numpy.histogram;
  otherwise one bin per distinct value of either sample. Then the distances above on those bins.

Evidently's zero filling (feel_zeroes, used by its PSI and KL, not by its Jensen-Shannon): in each
share vector separately, zeros are replaced by min_nonzero / 1e6 when min_nonzero <= 1e-4, else by 1e-4.
"""
import json
import math
import os

import numpy as np
import scipy
from scipy import stats
from scipy.spatial import distance

SEED = 20240601
rng = np.random.default_rng(SEED)
HERE = os.path.dirname(os.path.abspath(__file__))


def filled(shares):
    s = np.array(shares, dtype=float)
    nz = s[s != 0]
    fill = nz.min() / 10**6 if nz.min() <= 0.0001 else 0.0001
    np.place(s, s == 0, fill)
    return s


def distances(ref, cur):
    ref = np.asarray(ref, dtype=float)
    cur = np.asarray(cur, dtype=float)
    rp = ref / ref.sum()
    cp = cur / cur.sum()
    rf, cf = filled(rp), filled(cp)
    return {
        "psi": float(np.sum((rf - cf) * np.log(rf / cf))),
        "kl": float(stats.entropy(rf, cf)),
        "jensen_shannon": float(distance.jensenshannon(ref, cur)),
        "jensen_shannon_base2": float(distance.jensenshannon(ref, cur, base=2)),
        "hellinger": float(distance.euclidean(np.sqrt(rp), np.sqrt(cp)) / math.sqrt(2)),
        "total_variation": float(distance.cityblock(rp, cp) / 2),
        "l_infinity": float(distance.chebyshev(rp, cp)),
    }


def contingency(ref, cur, correction, lambda_):
    table = np.array([ref, cur], dtype=np.int64)
    table = table[:, table.sum(axis=0) > 0]
    res = stats.chi2_contingency(table, correction=correction, lambda_=lambda_)
    return {"statistic": float(res[0]), "pvalue": float(res[1]), "dof": int(res[2])}


def goodness_of_fit(ref, cur, lambda_):
    ref = np.asarray(ref, dtype=np.int64)
    cur = np.asarray(cur, dtype=np.int64)
    keep = (ref + cur) > 0
    ref, cur = ref[keep], cur[keep]
    f_exp = ref * (cur.sum() / ref.sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        stat, p = stats.power_divergence(cur, f_exp, lambda_=lambda_)
    if math.isnan(p):
        return None
    return {"statistic": float(stat), "pvalue": float(p), "dof": int(len(cur) - 1)}


def two_proportion_z(h1, n1, h2, n2):
    p1, p2 = h1 / n1, h2 / n2
    pooled = (h1 + h2) / (n1 + n2)
    if pooled in (0.0, 1.0):
        z, p = 0.0, 1.0
    else:
        z = (p1 - p2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        p = 2 * stats.norm.sf(abs(z))
        chi2, p_chi2, _, _ = stats.chi2_contingency([[h1, n1 - h1], [h2, n2 - h2]], correction=False)
        assert math.isclose(z * z, chi2, rel_tol=1e-9), (z, chi2)
        assert math.isclose(p, p_chi2, rel_tol=1e-6, abs_tol=1e-12), (p, p_chi2)
    return {
        "statistic": float(z),
        "pvalue": float(p),
        "less": float(stats.norm.cdf(z)),
        "greater": float(stats.norm.sf(z)),
    }


def table_case(name, ref, cur):
    ref = [int(x) for x in ref]
    cur = [int(x) for x in cur]
    case = {"name": name, "reference": ref, "current": cur}
    case["chi2_homogeneity_yates"] = contingency(ref, cur, True, None)
    case["chi2_homogeneity_plain"] = contingency(ref, cur, False, None)
    case["g_homogeneity_yates"] = contingency(ref, cur, True, "log-likelihood")
    case["g_homogeneity_plain"] = contingency(ref, cur, False, "log-likelihood")
    case["chi2_gof"] = goodness_of_fit(ref, cur, "pearson")
    case["g_gof"] = goodness_of_fit(ref, cur, "log-likelihood")
    case["two_proportion_z"] = two_proportion_z(ref[0], sum(ref), cur[0], sum(cur))
    case.update(distances(ref, cur))
    return case


def multinomial(n, probs):
    return rng.multinomial(n, np.asarray(probs) / np.sum(probs)).tolist()


def tables():
    many = rng.uniform(0.2, 3.0, size=200)
    sparse = rng.uniform(0.0, 1.0, size=60) ** 4
    cases = [
        table_case("tiny counts", [1, 2], [2, 1]),
        table_case("tiny disjoint two categories", [3, 0], [0, 2]),
        table_case("zero cells on both sides", [5, 0, 3], [4, 2, 0]),
        table_case("one category unseen in the reference", [10, 20, 0], [12, 15, 7]),
        table_case("two categories unseen in the reference", [30, 10, 0, 0], [5, 5, 3, 1]),
        table_case("very unequal totals, large reference", [40000, 25000, 35000], [4, 2, 5]),
        table_case("very unequal totals, large current", [3, 5], [30000, 51000]),
        table_case("identical counts", [10, 20, 30], [10, 20, 30]),
        table_case("identical shares, scaled counts", [10, 20, 30], [30, 60, 90]),
        table_case("disjoint supports", [10, 5, 0, 0], [0, 0, 7, 9]),
        table_case("many categories", multinomial(20000, many), multinomial(15000, many[::-1])),
        table_case("many sparse categories", multinomial(3000, sparse), multinomial(2500, sparse)),
        table_case("large counts two categories", [512340, 487660], [50890, 49110]),
        table_case("two categories, differences under one half", [10, 10], [10, 11]),
        table_case("single category", [5], [7]),
        table_case("category absent from both", [4, 0, 6], [3, 0, 9]),
        table_case("moderate drift", multinomial(500, [5, 3, 1, 1, 2]), multinomial(800, [3, 3, 2, 1, 3])),
        table_case("no drift, random", multinomial(1000, [8, 7, 6, 5, 4, 3, 2, 1]),
                   multinomial(1200, [8, 7, 6, 5, 4, 3, 2, 1])),
        table_case("one dominant category", [999, 1], [990, 10]),
        table_case("single observations", [1, 0], [0, 1]),
        table_case("small random", multinomial(15, [1, 2, 3, 4]), multinomial(9, [4, 3, 2, 1])),
        table_case("binary strong drift", [700, 300], [300, 700]),
        table_case("rare reference share below 1e-4", [199990, 10, 0], [50, 3, 2]),
        table_case("rare current share below 1e-4", [40, 30, 30], [0, 3, 99997]),
    ]
    return cases


def fisher_case(name, table):
    case = {"name": name, "table": table}
    for alternative in ("two-sided", "less", "greater"):
        odds, p = stats.fisher_exact(table, alternative=alternative)
        case[alternative] = float(p)
        case["odds_ratio"] = float(odds)
    return case


def fisher():
    cases = [
        fisher_case("classic", [[8, 2], [1, 5]]),
        fisher_case("scipy docstring", [[6, 2], [1, 4]]),
        fisher_case("reversed", [[1, 9], [11, 3]]),
        fisher_case("anti-diagonal zeros", [[0, 5], [5, 0]]),
        fisher_case("diagonal zeros", [[7, 0], [0, 7]]),
        fisher_case("zero row", [[0, 0], [3, 4]]),
        fisher_case("zero column", [[0, 3], [0, 4]]),
        fisher_case("single observations", [[1, 0], [0, 1]]),
        fisher_case("all ones", [[1, 1], [1, 1]]),
        fisher_case("symmetric ties", [[3, 5], [5, 3]]),
        fisher_case("balanced", [[10, 10], [10, 10]]),
        fisher_case("moderate", [[20, 15], [12, 30]]),
        fisher_case("one zero cell", [[100, 0], [95, 5]]),
        fisher_case("very unequal rows", [[1, 500], [0, 700]]),
        fisher_case("large counts", [[1200, 800], [1150, 850]]),
        fisher_case("very large counts", [[50000, 50000], [49000, 51000]]),
        fisher_case("rare events", [[3, 99997], [15, 99985]]),
    ]
    for i in range(6):
        t = rng.integers(0, 40, size=(2, 2)).tolist()
        cases.append(fisher_case("random %d" % i, t))
    return cases


def evidently_binned(ref, cur):
    ref = np.asarray(ref, dtype=float)
    cur = np.asarray(cur, dtype=float)
    if len(np.unique(ref)) > 20:
        edges = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
        rc = np.histogram(ref, edges)[0]
        cc = np.histogram(cur, edges)[0]
        return "sturges", edges.tolist(), rc.tolist(), cc.tolist()
    keys = np.union1d(ref, cur)
    rc = [int(np.sum(ref == k)) for k in keys]
    cc = [int(np.sum(cur == k)) for k in keys]
    return "values", keys.tolist(), rc, cc


def binned_case(name, ref, cur):
    ref = [float(x) for x in ref]
    cur = [float(x) for x in cur]
    mode, points, rc, cc = evidently_binned(ref, cur)
    case = {"name": name, "reference": ref, "current": cur, "mode": mode,
            "edges": points if mode == "sturges" else [], "values": points if mode == "values" else [],
            "reference_counts": [int(x) for x in rc], "current_counts": [int(x) for x in cc]}
    case.update(distances(rc, cc))
    return case


def binned():
    r = lambda a: np.round(a, 3)
    cases = [
        binned_case("normal shifted", r(rng.normal(0, 1, 100)), r(rng.normal(0.5, 1, 100))),
        binned_case("normal scaled, unequal sizes", r(rng.normal(0, 1, 1000)), r(rng.normal(0, 2, 250))),
        binned_case("uniform, combined size a power of two", rng.uniform(0, 1, 64), rng.uniform(0, 1, 64)),
        binned_case("combined size 1024", rng.uniform(-5, 5, 512), rng.uniform(-4, 6, 512)),
        binned_case("discrete with current-only values", rng.integers(0, 6, 200), rng.integers(2, 8, 150)),
        binned_case("exactly 20 distinct reference values", np.arange(20).repeat(3), rng.integers(-3, 25, 40)),
        binned_case("21 distinct reference values", np.arange(21).repeat(2), rng.integers(-3, 25, 40)),
        binned_case("very unequal sizes", r(rng.normal(0, 1, 3000)), r(rng.normal(0.2, 1, 7))),
        binned_case("disjoint ranges", r(rng.normal(0, 1, 300)), r(rng.normal(10, 1, 300))),
        binned_case("identical samples", np.linspace(0, 1, 50), np.linspace(0, 1, 50)),
        binned_case("identical discrete samples", [1, 2, 2, 3, 3, 3], [1, 2, 2, 3, 3, 3]),
        binned_case("heavy ties", np.round(rng.normal(0, 3, 400)), np.round(rng.normal(1, 3, 300))),
        binned_case("current one repeated value", r(rng.normal(0, 1, 60)), [0.25] * 30),
        binned_case("current on the outer edges", np.arange(25.0), [0.0, 24.0, 24.0, 0.0, 12.0]),
        binned_case("skewed lognormal", r(rng.lognormal(0, 1, 1500)), r(rng.lognormal(0.1, 1.1, 1000))),
        binned_case("negative values and zero", np.arange(-15, 15) * 0.5, [0.0, -1.0, -7.5, 3.25, 7.0]),
        binned_case("signed zeros are one value", [-0.0, 0.0, 1.0, 2.0, 2.0], [0.0, 0.0, -0.0, 1.0, 3.0]),
        binned_case("tiny current", np.arange(21.0) ** 2, [4.0]),
        binned_case("rare bins below 1e-4", np.concatenate([np.zeros(1), r(rng.uniform(1, 2, 10500))]),
                    r(rng.uniform(0, 2, 500))),
    ]
    return cases


def write(name, cases):
    doc = {
        "generator": "generate.py",
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "seed": SEED,
        "cases": cases,
    }
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(doc, f, indent=1, allow_nan=True)
        f.write("\n")


if __name__ == "__main__":
    write("tables.json", tables())
    write("fisher.json", fisher())
    write("binned.json", binned())
