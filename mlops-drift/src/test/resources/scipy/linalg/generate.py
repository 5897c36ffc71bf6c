#!/usr/bin/python3
"""Known answers for mlops-drift's linear algebra (dev.mlops.drift.internal.SymmetricEigen and
HouseholderQr), computed by NumPy 1.24.

Run with Debian's /usr/bin/python3 (NumPy 1.24) from this directory:

    /usr/bin/python3 generate.py

It writes linalg.json with two lists. The Java tests (SymmetricEigenTest, HouseholderQrTest) read it and
never run Python.

"eigh": symmetric matrices (full, row by row) and their eigenvalues by numpy.linalg.eigh, in
decreasing order: random ones of sizes 1 to 60 with normal entries, a covariance matrix of correlated
columns like the ones PcaModel decomposes, matrices with repeated eigenvalues (Q diag(...) Q^T), a
singular one, a diagonal one, one already tridiagonal, and random ones scaled by 1e-150 and 1e150.
Eigenvectors are not stored: for repeated or close eigenvalues only their subspace is determined; the
Java test checks A v = lambda v and orthonormality instead, and compares the eigenvalues.

"lstsq": overdetermined and square systems A x = b with the least-squares solution by
numpy.linalg.lstsq (rcond=None): random ones, the column-scaled quadratic Vandermonde fit that
AndersonDarling's p-value interpolation solves, and an ill-conditioned polynomial fit.
"""
import json

import numpy as np

SEED = 20240614
rng = np.random.default_rng(SEED)


def symmetric(n):
    a = rng.standard_normal((n, n))
    return (a + a.T) / 2


def with_spectrum(values):
    q, _ = np.linalg.qr(rng.standard_normal((len(values), len(values))))
    a = q @ np.diag(values) @ q.T
    return (a + a.T) / 2


def eig_case(name, a):
    a = np.asarray(a, dtype=float)
    assert np.array_equal(a, a.T)
    values = np.linalg.eigh(a)[0][::-1]
    return {"name": name, "matrix": a.tolist(), "values": values.tolist()}


def eigh_cases():
    cases = [eig_case(f"random {n} x {n}", symmetric(n)) for n in [1, 2, 3, 4, 5, 8, 13, 21, 34, 60]]
    rows = rng.standard_normal((400, 12)) @ rng.standard_normal((12, 12))
    rows[:, 5] = rows[:, 2] * 3 - rows[:, 7]  # an exactly dependent column: one eigenvalue near 0
    cov = np.cov(rows, rowvar=False)
    cases.append(eig_case("covariance of 12 correlated columns, one dependent", (cov + cov.T) / 2))
    cases.append(eig_case("repeated eigenvalues 3, 3, 3, 1, 1, -2", with_spectrum([3, 3, 3, 1, 1, -2])))
    cases.append(eig_case("singular, rank 2 of 5", with_spectrum([4, 0.5, 0, 0, 0])))
    cases.append(eig_case("diagonal", np.diag([0.5, -7.0, 2.0, 2.0, 1e-3])))
    t = np.diag([1.0, 2, 3, 4, 5, 6]) + np.diag([1.0, 1, 1, 1, 1], 1) + np.diag([1.0, 1, 1, 1, 1], -1)
    cases.append(eig_case("tridiagonal", t))
    cases.append(eig_case("identity", np.eye(4)))
    cases.append(eig_case("random 10 x 10 times 1e-150", symmetric(10) * 1e-150))
    cases.append(eig_case("random 10 x 10 times 1e150", symmetric(10) * 1e150))
    cases.append(eig_case("eigenvalues from 1 to 1e-12", with_spectrum(np.logspace(0, -12, 9))))
    return cases


def lstsq_case(name, a, b):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    x = np.linalg.lstsq(a, b, rcond=None)[0]
    return {"name": name, "matrix": a.tolist(), "rhs": b.tolist(), "solution": x.tolist(),
            "condition": float(np.linalg.cond(a))}


def lstsq_cases():
    cases = [
        lstsq_case("random 20 x 3", rng.standard_normal((20, 3)), rng.standard_normal(20)),
        lstsq_case("random 7 x 7 (square)", rng.standard_normal((7, 7)), rng.standard_normal(7)),
        lstsq_case("random 50 x 6", rng.standard_normal((50, 6)), rng.standard_normal(50)),
    ]
    # AndersonDarling (as scipy.stats.anderson_ksamp): log significance against the critical values
    # b0 + b1 / sqrt(m) + b2 / m of Scholz and Stephens' table for m = k - 1, a quadratic with its
    # columns scaled to unit norm as numpy.polyfit does.
    b0 = np.array([0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085])
    b1 = np.array([-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615])
    b2 = np.array([-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154])
    sig = np.array([0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001])
    for m in [1, 4]:
        v = np.vander(b0 + b1 / np.sqrt(m) + b2 / m, 3)
        scale = np.sqrt((v * v).sum(axis=0))
        cases.append(lstsq_case(f"Anderson-Darling quadratic fit for k = {m + 1}, scaled columns", v / scale,
                                np.log(sig)))
    x = np.linspace(0, 1, 30)
    cases.append(lstsq_case("degree 7 polynomial fit on [0, 1]", np.vander(x, 8), np.cos(4 * x)))
    b = rng.standard_normal(4)
    cases.append(lstsq_case("exactly solvable 6 x 4", (m := rng.standard_normal((6, 4))), m @ b))
    return cases


def main():
    out = {"numpy_version": np.__version__, "eigh": eigh_cases(), "lstsq": lstsq_cases()}
    with open("linalg.json", "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
