#!/usr/bin/python3
"""Known answers for the monitor's outcome metrics (ClassificationSnapshot, RegressionSnapshot).

Run with Debian's /usr/bin/python3 (NumPy 1.24, SciPy 1.10.1) from this directory:

    /usr/bin/python3 outcome_metrics.py

It writes outcome_metrics.json beside it: each case holds its inputs and the expected values. The
Java tests read that file and never run Python. scikit-learn is not used (not installed); each
metric is its textbook formula written to match scikit-learn's definition and defaults:

- confusion matrix: rows are actual classes, columns predicted ones (confusion_matrix).
- precision, recall, F1 per class: tp/(tp+fp), tp/(tp+fn), 2tp/(2tp+fp+fn); a zero denominator
  gives 0.0, as zero_division="warn" (the default) does after warning. Binary: pos_label=1, the
  positive class predicted when score >= threshold.
- macro averages: unweighted mean over the labels present in y_true or y_pred (labels=None).
- accuracy: share of exact matches (accuracy_score).
- log loss (binary): columns [1 - p, p] clipped to [eps, 1 - eps] with eps = np.finfo(np.float64).eps,
  mean of -log of the actual class's column (log_loss in scikit-learn >= 1.5, no renormalisation).
  scikit-learn raises for a single-class y_true without labels=; the formula is applied anyway.
- AUC: auc_exact is roc_auc_score on the raw scores, computed as the Mann-Whitney U of the
  positives' scores against the negatives' over n_pos * n_neg (scipy.stats.mannwhitneyu, ties
  counting half). auc_binned is the same statistic on the bin indices min(bins - 1, floor(s * bins)),
  the library's definition; a brute-force pair count checks it. NaN when a class is absent
  (roc_auc_score raises).
- regression: MAE mean|y - p|, MSE mean (y - p)^2, RMSE sqrt(MSE), MAPE mean |y - p| / max(|y|, eps)
  with eps = np.finfo(np.float64).eps (mean_absolute_percentage_error, a fraction).

Values that a formula leaves undefined (an empty class for AUC) are written as NaN.
"""
import json
import math

import numpy as np
import scipy
from scipy import stats

SEED = 20240917
EPS = float(np.finfo(np.float64).eps)
rng = np.random.default_rng(SEED)


def confusion(actual, predicted, k):
    m = np.zeros((k, k), dtype=np.int64)
    np.add.at(m, (actual, predicted), 1)
    return m


def per_class(m):
    k = m.shape[0]
    tp = np.diag(m).astype(float)
    predicted = m.sum(axis=0).astype(float)
    actual = m.sum(axis=1).astype(float)
    precision = [tp[c] / predicted[c] if predicted[c] > 0 else 0.0 for c in range(k)]
    recall = [tp[c] / actual[c] if actual[c] > 0 else 0.0 for c in range(k)]
    denominator = predicted + actual
    f1 = [2 * tp[c] / denominator[c] if denominator[c] > 0 else 0.0 for c in range(k)]
    present = [c for c in range(k) if predicted[c] > 0 or actual[c] > 0]
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "macro_precision": float(np.mean([precision[c] for c in present])),
        "macro_recall": float(np.mean([recall[c] for c in present])),
        "macro_f1": float(np.mean([f1[c] for c in present])),
        "accuracy": float(tp.sum() / m.sum()),
    }


def mann_whitney_auc(pos, neg):
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    u = stats.mannwhitneyu(pos, neg, alternative="two-sided", method="asymptotic").statistic
    return float(u) / (len(pos) * len(neg))


def brute_force_auc(pos, neg):
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    pos = np.asarray(pos)[:, None]
    neg = np.asarray(neg)[None, :]
    return float(((pos > neg).sum() + 0.5 * (pos == neg).sum()) / (pos.size * neg.size))


def binary_case(name, scores, actual, threshold=0.5, bins=1000, note=""):
    scores = np.asarray(scores, dtype=np.float64)
    actual = np.asarray(actual, dtype=np.int64)
    assert scores.min() >= 0 and scores.max() <= 1
    predicted = (scores >= threshold).astype(np.int64)
    m = confusion(actual, predicted, 2)
    metrics = per_class(m)
    columns = np.column_stack([1 - scores, scores])
    clipped = np.clip(columns, EPS, 1 - EPS)
    log_loss = float(np.mean(-np.log(clipped[np.arange(len(actual)), actual])))
    bin_index = np.minimum(np.floor(scores * bins), bins - 1).astype(np.int64)
    pos_bins = np.bincount(bin_index[actual == 1], minlength=bins)
    neg_bins = np.bincount(bin_index[actual == 0], minlength=bins)
    auc_binned = mann_whitney_auc(bin_index[actual == 1], bin_index[actual == 0])
    check = brute_force_auc(bin_index[actual == 1], bin_index[actual == 0])
    assert (math.isnan(auc_binned) and math.isnan(check)) or abs(auc_binned - check) < 1e-12, (name, auc_binned, check)
    shared = bool(np.any((pos_bins > 0) & (neg_bins > 0)))
    return {
        "name": name,
        "note": note,
        "threshold": threshold,
        "bins": bins,
        "scores": [float(s) for s in scores],
        "actual": [int(a) for a in actual],
        "expected": {
            "count": int(len(actual)),
            "confusion": m.tolist(),
            "accuracy": metrics["accuracy"],
            "precision": metrics["precision"][1],
            "recall": metrics["recall"][1],
            "f1": metrics["f1"][1],
            "precision_per_class": metrics["precision"],
            "recall_per_class": metrics["recall"],
            "f1_per_class": metrics["f1"],
            "macro_precision": metrics["macro_precision"],
            "macro_recall": metrics["macro_recall"],
            "macro_f1": metrics["macro_f1"],
            "log_loss": log_loss,
            "auc_binned": auc_binned,
            "auc_exact": mann_whitney_auc(scores[actual == 1], scores[actual == 0]),
            "classes_share_a_bin": shared,
            "positive_bins": {str(b): int(c) for b, c in enumerate(pos_bins) if c},
            "negative_bins": {str(b): int(c) for b, c in enumerate(neg_bins) if c},
        },
    }


def multiclass_case(name, k, predicted, actual, note=""):
    predicted = np.asarray(predicted, dtype=np.int64)
    actual = np.asarray(actual, dtype=np.int64)
    m = confusion(actual, predicted, k)
    metrics = per_class(m)
    return {
        "name": name,
        "note": note,
        "classes": k,
        "predicted": [int(p) for p in predicted],
        "actual": [int(a) for a in actual],
        "expected": {
            "count": int(len(actual)),
            "confusion": m.tolist(),
            "accuracy": metrics["accuracy"],
            "precision_per_class": metrics["precision"],
            "recall_per_class": metrics["recall"],
            "f1_per_class": metrics["f1"],
            "macro_precision": metrics["macro_precision"],
            "macro_recall": metrics["macro_recall"],
            "macro_f1": metrics["macro_f1"],
        },
    }


def regression_case(name, predicted, actual, note=""):
    predicted = np.asarray(predicted, dtype=np.float64)
    actual = np.asarray(actual, dtype=np.float64)
    error = np.abs(actual - predicted)
    mse = float(np.mean(error ** 2))
    return {
        "name": name,
        "note": note,
        "predicted": [float(p) for p in predicted],
        "actual": [float(a) for a in actual],
        "expected": {
            "count": int(len(actual)),
            "mae": float(np.mean(error)),
            "mse": mse,
            "rmse": math.sqrt(mse),
            "mape": float(np.mean(error / np.maximum(np.abs(actual), EPS))),
        },
    }


def labelled_scores(n, positive_share, separation):
    actual = (rng.random(n) < positive_share).astype(np.int64)
    logits = rng.normal(size=n) + separation * (2 * actual - 1)
    return 1 / (1 + np.exp(-logits)), actual


binary = []
s, a = labelled_scores(400, 0.5, 1.0)
binary.append(binary_case("balanced", s, a, note="400 outcomes, half positive, logistic scores"))
s, a = labelled_scores(1000, 0.05, 1.5)
binary.append(binary_case("imbalanced", s, a, note="1,000 outcomes, 5% positive"))
binary.append(binary_case("imbalanced_threshold_0.2", s, a, threshold=0.2, note="the same, threshold 0.2"))
binary.append(binary_case("imbalanced_10_bins", s, a, bins=10, note="the same, 10 bins: AUC coarser than exact"))
binary.append(binary_case("all_positive", rng.random(50), np.ones(50, dtype=np.int64),
                          note="one class only: AUC NaN, precision over predicted positives only"))
binary.append(binary_case("all_negative_below_threshold", rng.random(40) * 0.49, np.zeros(40, dtype=np.int64),
                          note="no positives predicted or actual: precision, recall, F1 0.0 (zero_division)"))
binary.append(binary_case("no_predicted_positives", rng.random(60) * 0.4, (rng.random(60) < 0.3).astype(np.int64),
                          note="positives exist but none predicted: precision 0.0 (zero_division), recall 0"))
edges_scores = [0.0, 1.0, 0.0, 1.0, 0.5, 0.5, 1e-17, 1 - 1e-16, 0.999, 0.001, 0.0, 1.0]
edges_actual = [0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1]
binary.append(binary_case("edges", edges_scores, edges_actual,
                          note="scores exactly 0 and 1 on both sides (clipped log loss), 0.5 at the threshold"))
grid = (rng.choice(1000, size=300, replace=False) + 0.5) / 1000
grid_actual = (rng.random(300) < 0.5 + 0.4 * (grid - 0.5)).astype(np.int64)
binary.append(binary_case("distinct_bins", grid, grid_actual,
                          note="every score in its own bin: the binned AUC is the exact AUC"))
ties = np.round(rng.random(500), 2)
ties_actual = (rng.random(500) < ties).astype(np.int64)
binary.append(binary_case("tied_scores", ties, ties_actual, note="scores on a 0.01 grid: ties across classes"))

multiclass = []
k = 3
actual = rng.integers(0, k, size=600)
predicted = np.where(rng.random(600) < 0.7, actual, rng.integers(0, k, size=600))
multiclass.append(multiclass_case("three_classes", k, predicted, actual, note="70% correct, errors uniform"))
k = 5
actual = rng.choice([0, 1, 2, 3], size=300, p=[0.5, 0.3, 0.15, 0.05])
predicted = np.where(rng.random(300) < 0.6, actual, rng.choice([0, 1, 2, 4], size=300))
predicted[predicted == 3] = 0
multiclass.append(multiclass_case(
    "five_classes_with_gaps", k, predicted, actual,
    note="class 3 occurs but is never predicted (precision 0.0); class 4 is predicted but never occurs (recall 0.0)"))
actual = rng.integers(0, 3, size=120)
predicted = np.where(rng.random(120) < 0.5, actual, rng.integers(0, 3, size=120))
multiclass.append(multiclass_case(
    "declared_four_seen_three", 4, predicted, actual,
    note="4 classes declared, class 3 never seen: macro averages over the 3 present (labels=None)"))

regression = []
actual = rng.normal(100, 20, size=500)
regression.append(regression_case("normal", actual + rng.normal(0, 5, size=500), actual, note="500 values"))
actual = rng.normal(0, 2, size=200)
actual[::10] = 0.0
predicted = actual + rng.normal(0, 0.5, size=200)
predicted[::20] = 0.0
regression.append(regression_case(
    "zeros_in_actual", predicted, actual,
    note="every 10th actual is 0: MAPE divides by eps (huge); every 20th also predicted 0 (adds 0)"))
actual = 1e9 + rng.normal(0, 1, size=1000)
regression.append(regression_case("large_offset", actual + rng.normal(0, 1e-3, size=1000), actual,
                                  note="values near 1e9, errors near 1e-3"))
regression.append(regression_case("perfect", [0.0, 1.5, -2.0], [0.0, 1.5, -2.0], note="no error, a zero actual"))

document = {
    "generator": "outcome_metrics.py",
    "numpy": np.__version__,
    "scipy": scipy.__version__,
    "seed": SEED,
    "eps": EPS,
    "binary": binary,
    "multiclass": multiclass,
    "regression": regression,
}
with open("outcome_metrics.json", "w") as out:
    json.dump(document, out, indent=1)
    out.write("\n")
