#!/usr/bin/python3
"""Known answers for the multivariate drift detectors (MMD and PCA reconstruction error).

Neither Alibi Detect (needs torch or tensorflow) nor NannyML (needs scikit-learn, pandas,
category_encoders) is installed here, so this script restates their definitions in NumPy, step by
step, as their sources define them (read for this purpose; no code copied):

Alibi Detect MMDDrift (alibi_detect/cd/pytorch/mmd.py, cd/tensorflow/mmd.py, cd/base.py,
utils/pytorch/kernels.py, utils/pytorch/distance.py):
  * squared distances ||x||^2 + ||y||^2 - 2 x.y, clamped below at 1e-30;
  * bandwidth by the median heuristic, configured once from the reference against itself
    (configure_kernel_from_x_ref=True): sort all n*n reference distances, skip the n diagonal
    ones, take element n + (n*n - n) // 2 - 1, sigma = sqrt(0.5 * that);
  * Gaussian RBF kernel exp(-d / (2 sigma^2));
  * the unbiased MMD^2 of the zero-diagonal joint kernel matrix:
    sum(Kxx) / (n (n - 1)) + sum(Kyy) / (m (m - 1)) - 2 mean(Kxy);
  * p-value = mean(observed <= permuted) over n_permutations = 100 (no +1), drift when p < 0.05.
  The permutation p-value depends on torch's RNG, so it is not reproduced here.

NannyML DataReconstructionDriftCalculator (nannyml/drift/multivariate/data_reconstruction/
calculator.py, nannyml/chunk.py, nannyml/thresholds.py) with scikit-learn's SimpleImputer,
StandardScaler and PCA:
  * impute NaN with the reference column mean (SimpleImputer strategy 'mean');
  * standardise with the mean and population std (ddof 0) of the imputed reference, a std of a
    constant column replaced by 1 (sklearn _is_constant_feature, _handle_zeros_in_scale);
  * PCA on the standardised reference (centred by its own mean), n_components = 0.65: the fewest
    components whose cumulative explained-variance ratio is strictly above 0.65
    (np.searchsorted(cumsum, 0.65, side='right') + 1);
  * per row the Euclidean norm of (row - inverse_transform(transform(row))); per chunk the mean;
  * DefaultChunker: chunk size = n // 10, trailing incomplete chunk kept; SizeBasedChunker the same
    with a given size;
  * alert band: mean +- 3 * np.std (ddof 0) of the reference chunk values; a lower band at or below 0
    is dropped (NannyML 0.13 thresholds.py calculate_threshold_values: lower_threshold_value <=
    lower_threshold_value_limit, with lower_threshold_value_limit = 0 and override_using_none = True);
  * alert when the value is not strictly inside the band (data_reconstruction/calculator.py
    _populate_thresholds: not (lower < value < upper), lower = -inf when dropped).

Also records SciPy's per-column two-sample KS p-values, to show where per-column tests miss a
correlation break that the reconstruction error catches.

Run: /usr/bin/python3 generate.py   (writes mmd.json and pca.json beside this file)
"""

import json
import os

import numpy as np
import scipy
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))


# ----------------------------------------------------------------------------------------- MMD
def alibi_squared_pairwise_distance(x, y):
    x2 = np.sum(x * x, axis=-1, keepdims=True)
    y2 = np.sum(y * y, axis=-1, keepdims=True)
    dist = y2.T - 2.0 * (x @ y.T) + x2
    return np.maximum(dist, 1e-30)


def alibi_sigma_median(x, y, dist):
    n = min(x.shape[0], y.shape[0])
    n = n if x.shape == y.shape and np.all(x[:n] == y[:n]) else 0
    n_median = n + (dist.size - n) // 2 - 1
    return np.sqrt(0.5 * np.sort(dist.reshape(-1))[n_median])


def alibi_mmd(x_ref, x, sigma=None):
    d_rr = alibi_squared_pairwise_distance(x_ref, x_ref)
    if sigma is None:
        sigma = alibi_sigma_median(x_ref, x_ref, d_rr)
    gamma = 1.0 / (2.0 * sigma ** 2)
    k_xx = np.exp(-gamma * d_rr)
    k_xy = np.exp(-gamma * alibi_squared_pairwise_distance(x_ref, x))
    k_yy = np.exp(-gamma * alibi_squared_pairwise_distance(x, x))
    k = np.block([[k_xx, k_xy], [k_xy.T, k_yy]])
    k = k - np.diag(np.diag(k))
    m = x.shape[0]
    n = k.shape[0] - m
    kxx, kyy, kxy = k[:-m, :-m], k[-m:, -m:], k[-m:, :-m]
    mmd2 = kxx.sum() / (n * (n - 1)) + kyy.sum() / (m * (m - 1)) - 2.0 * kxy.mean()
    return float(sigma), float(mmd2)


def mmd_case(name, ref, cur, sigma=None):
    s, mmd2 = alibi_mmd(ref, cur, sigma)
    return {
        "name": name,
        "reference": ref.tolist(),
        "current": cur.tolist(),
        "sigma": sigma,
        "expected": {"sigma": s, "mmd2": mmd2},
    }


def mmd_cases():
    cases = []
    rng = np.random.default_rng(101)
    cases.append(mmd_case("tiny_3x2_vs_2x2", rng.normal(size=(3, 2)), rng.normal(size=(2, 2))))
    rng = np.random.default_rng(102)
    cases.append(mmd_case("d1_equal_sizes", rng.normal(size=(20, 1)), rng.normal(size=(20, 1))))
    rng = np.random.default_rng(103)
    cases.append(mmd_case("unequal_sizes_50_vs_17_d3", rng.normal(size=(50, 3)), rng.normal(size=(17, 3))))
    rng = np.random.default_rng(104)
    ref = rng.normal(size=(30, 2))
    cases.append(mmd_case("identical_samples", ref, ref.copy()))
    rng = np.random.default_rng(105)
    cases.append(mmd_case("mean_shift_d4", rng.normal(size=(40, 4)), rng.normal(loc=1.0, size=(40, 4))))
    rng = np.random.default_rng(106)
    cases.append(mmd_case("scale_change_d2", rng.normal(size=(60, 2)), rng.normal(scale=2.5, size=(45, 2))))
    rng = np.random.default_rng(107)
    # Repeated rows: many tied distances, the median element still well defined and positive.
    ref = rng.integers(0, 4, size=(25, 2)).astype(float)
    cur = rng.integers(0, 4, size=(15, 2)).astype(float)
    cases.append(mmd_case("repeated_integer_rows", ref, cur))
    rng = np.random.default_rng(108)
    cases.append(mmd_case("given_sigma", rng.normal(size=(30, 3)), rng.normal(loc=0.3, size=(25, 3)), sigma=1.7))
    rng = np.random.default_rng(109)
    ref, _ = correlated(rng, 80, broken=False)
    cur, _ = correlated(rng, 80, broken=True)
    cases.append(mmd_case("correlation_break_d3", ref, cur))
    rng = np.random.default_rng(110)
    cases.append(mmd_case("wide_d20", rng.normal(size=(15, 20)), rng.normal(size=(12, 20))))
    return cases


# ----------------------------------------------------------------------------------------- PCA
def correlated(rng, n, broken):
    """Two columns that share a factor and a third of noise; broken: the second column flips sign."""
    s = rng.normal(size=n)
    x1 = s + rng.normal(size=n) / 8
    x2 = (-s if broken else s) + rng.normal(size=n) / 8
    x3 = rng.normal(size=n) / 8
    return np.column_stack([x1, x2, x3]), s


class NannyReconstruction:
    def __init__(self, ref, variance=0.65, chunk_size=None, chunk_count=10):
        self.col_mean = np.nanmean(ref, axis=0)
        x = self.impute(ref)
        n = x.shape[0]
        self.mean = x.mean(axis=0)
        var = x.var(axis=0)
        eps = np.finfo(np.float64).eps
        constant = var <= n * eps * var + (n * self.mean * eps) ** 2
        scale = np.sqrt(var)
        scale[constant] = 1.0
        self.scale = scale
        z = (x - self.mean) / self.scale
        self.pca_mean = z.mean(axis=0)
        _, s, vt = np.linalg.svd(z - self.pca_mean, full_matrices=False)
        explained = s ** 2 / (n - 1)
        ratio = explained / explained.sum()
        k = int(np.searchsorted(np.cumsum(ratio), variance, side="right") + 1)
        self.components = vt[:k]
        self.k = k
        size = chunk_size if chunk_size is not None else n // chunk_count
        chunks = [ref[i:i + size] for i in range(0, n, size)]  # the incomplete tail is kept
        self.chunk_values = [float(self.errors(c).mean()) for c in chunks]
        centre = np.mean(self.chunk_values)
        spread = np.std(self.chunk_values)
        self.upper = float(centre + 3 * spread)
        lower = float(centre - 3 * spread)
        self.lower = None if lower <= 0 else lower

    def impute(self, rows):
        rows = rows.copy()
        r, c = np.nonzero(np.isnan(rows))
        rows[r, c] = self.col_mean[c]
        return rows

    def errors(self, rows):
        z = (self.impute(rows) - self.mean) / self.scale
        t = (z - self.pca_mean) @ self.components.T
        back = t @ self.components + self.pca_mean
        return np.linalg.norm(z - back, axis=1)


def pca_case(name, ref, cur, chunk_size=None, chunk_count=10):
    model = NannyReconstruction(ref, chunk_size=chunk_size, chunk_count=chunk_count)
    case = {
        "name": name,
        "reference": ref.tolist(),
        "current": cur.tolist(),
        "chunkSize": chunk_size,
        "chunkCount": chunk_count,
        "expected": {
            "components": model.k,
            "referenceChunkValues": model.chunk_values,
            "upper": model.upper,
            "lower": model.lower,
            "statistic": float(model.errors(cur).mean()),
            "alert": bool(not ((float("-inf") if model.lower is None else model.lower)
                               < float(model.errors(cur).mean()) < model.upper)),
            "referenceRowsWithMissing": int(np.isnan(ref).any(axis=1).sum()),
            "currentRowsWithMissing": int(np.isnan(cur).any(axis=1).sum()),
            "referenceMissingValues": int(np.isnan(ref).sum()),
            "currentMissingValues": int(np.isnan(cur).sum()),
            "columnKsPValues": [
                float(stats.ks_2samp(ref[:, j][~np.isnan(ref[:, j])], cur[:, j][~np.isnan(cur[:, j])]).pvalue)
                for j in range(ref.shape[1])
            ],
        },
    }
    return case


def pca_cases():
    cases = []
    rng = np.random.default_rng(201)
    ref, _ = correlated(rng, 400, broken=False)
    cur, _ = correlated(rng, 200, broken=True)
    cases.append(pca_case("correlation_break_missed_by_columns", ref, cur))
    rng = np.random.default_rng(202)
    ref, _ = correlated(rng, 400, broken=False)
    cur, _ = correlated(rng, 200, broken=False)
    cases.append(pca_case("correlated_no_change", ref, cur))
    rng = np.random.default_rng(203)
    cases.append(pca_case("d1_exact_reconstruction", rng.normal(size=(50, 1)), rng.normal(loc=2.0, size=(30, 1))))
    rng = np.random.default_rng(204)
    ref = rng.normal(size=(120, 4))
    ref[rng.random(size=ref.shape) < 0.05] = np.nan
    cur = rng.normal(size=(40, 4))
    cur[rng.random(size=cur.shape) < 0.10] = np.nan
    cases.append(pca_case("missing_values_imputed_with_reference_mean", ref, cur))
    rng = np.random.default_rng(205)
    ref, _ = correlated(rng, 80, broken=False)
    ref = np.insert(ref, 1, 4.25, axis=1)
    cur, _ = correlated(rng, 20, broken=False)
    cur = np.insert(cur, 1, rng.normal(loc=4.25, size=20), axis=1)
    cases.append(pca_case("constant_reference_column", ref, cur))
    rng = np.random.default_rng(206)
    ref, _ = correlated(rng, 57, broken=False)
    cur, _ = correlated(rng, 30, broken=False)
    cases.append(pca_case("incomplete_last_chunk_kept", ref, cur))
    rng = np.random.default_rng(207)
    ref, _ = correlated(rng, 100, broken=False)
    cur, _ = correlated(rng, 25, broken=True)
    cases.append(pca_case("chunk_size_15", ref, cur, chunk_size=15))
    rng = np.random.default_rng(208)
    mix = rng.normal(size=(3, 12))
    ref = rng.normal(size=(10, 3)) @ mix + rng.normal(size=(10, 12)) * 0.3
    cur = rng.normal(size=(10, 3)) @ mix + rng.normal(size=(10, 12)) * 0.3
    cases.append(pca_case("wide_fewer_rows_than_columns", ref, cur, chunk_count=5))
    rng = np.random.default_rng(209)
    ref = rng.normal(size=(200, 5)) * np.array([1.0, 10.0, 0.1, 3.0, 1000.0]) + 50.0
    cur = rng.normal(size=(50, 5)) * np.array([1.0, 10.0, 0.1, 3.0, 1000.0]) + 50.0
    cases.append(pca_case("independent_columns_mixed_scales", ref, cur))
    return cases


def write(name, payload):
    with open(os.path.join(HERE, name), "w") as out:
        json.dump(payload, out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    versions = {"numpy": np.__version__, "scipy": scipy.__version__}
    write("mmd.json", {**versions, "cases": mmd_cases()})
    write("pca.json", {**versions, "cases": pca_cases()})
