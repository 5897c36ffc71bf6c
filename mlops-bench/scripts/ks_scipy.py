#!/usr/bin/env python3
"""Times SciPy's ks_2samp on 1,000,000 vs 1,000,000 normal values, and writes the same data for KsBench.

Usage: python3 mlops-bench/scripts/ks_scipy.py target/ks-data
then:  java -Dks.data=target/ks-data -jar mlops-bench/target/benchmarks.jar KsBench
Needs Debian's python3-scipy. Prints the SciPy version, the statistic and p-value, and the best and
median wall time of 7 runs (each run includes sorting both samples, as SciPy does on every call).
"""
import os
import sys
import time

import numpy as np
import scipy
from scipy import stats


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "target/ks-data"
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(7)
    ref = rng.standard_normal(1_000_000)
    cur = 0.01 + rng.standard_normal(1_000_000)
    ref.astype("<f8").tofile(os.path.join(out, "ref.f64"))
    cur.astype("<f8").tofile(os.path.join(out, "cur.f64"))
    times = []
    result = None
    for _ in range(7):
        t0 = time.perf_counter()
        result = stats.ks_2samp(ref, cur)
        times.append(time.perf_counter() - t0)
    times.sort()
    print(f"scipy {scipy.__version__} numpy {np.__version__}")
    print(f"ks_2samp statistic {result.statistic:.10f} pvalue {result.pvalue:.6e}")
    print(f"ks_2samp best {times[0] * 1e3:.1f} ms, median {times[len(times) // 2] * 1e3:.1f} ms (7 runs)")


if __name__ == "__main__":
    main()
