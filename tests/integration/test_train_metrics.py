"""The training center's metrics equal scikit-learn 1.2's (Debian's /usr/bin/python3) to 1e-9 on the same
predictions: random labels and scores, ties included, every average and edge case sklearn defines."""
import json
import os
import pathlib
import subprocess
import warnings

import numpy as np
import pytest
from sklearn import metrics
from sklearn.calibration import calibration_curve

BIN = pathlib.Path(os.environ["MAAS_BIN_DIR"]) / "training_metrics_check"
TOLERANCE = 1e-9


def compute(requests):
    """Runs every request through maas's metrics in one process; returns the values (or raises on an error)."""
    lines = "".join(json.dumps(r) + "\n" for r in requests)
    out = subprocess.run([str(BIN)], input=lines, capture_output=True, text=True, check=True, timeout=120).stdout
    answers = [json.loads(line) for line in out.splitlines()]
    assert len(answers) == len(requests)
    return answers


def close(ours, theirs):
    """Within 1e-9, relative to the value where it is above 1 (MAPE over targets at 0 reaches 1e15)."""
    ours, theirs = np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float)
    return bool(np.all(np.abs(ours - theirs) <= TOLERANCE * np.maximum(1.0, np.abs(theirs))))


def cases(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 400))
    k = int(rng.integers(3, 6))
    # Rounded scores make ties, as real models' scores often have.
    decimals = int(rng.integers(1, 4))
    binary = rng.integers(0, 2, n)
    while len(set(binary)) < 2:
        binary = rng.integers(0, 2, n)
    prob = np.round(rng.random(n), decimals)
    multi = rng.integers(0, k, n)
    while len(set(multi)) < k:
        multi = rng.integers(0, k, n)
    multi_pred = np.where(rng.random(n) < 0.5, multi, rng.integers(0, k, n))
    raw = rng.random((n, k)) ** 3
    probs = raw / raw.sum(axis=1, keepdims=True)
    binary_pred = (rng.random(n) < 0.4).astype(int)
    y_reg = rng.normal(3, 5, n)
    y_reg[: n // 10] = 0.0  # MAPE's eps floor
    reg_pred = y_reg + rng.normal(0, 2, n)
    out = []

    def add(request, expected):
        out.append((request, expected))

    yl, bl = binary.tolist(), binary_pred.tolist()
    ml, mpl = multi.tolist(), multi_pred.tolist()
    add({"metric": "accuracy", "y_true": ml, "y_pred": mpl}, metrics.accuracy_score(multi, multi_pred))
    for zero in (0, 1):
        for name, fn in (("precision", metrics.precision_score), ("recall", metrics.recall_score),
                         ("f1", metrics.f1_score)):
            add({"metric": name, "y_true": yl, "y_pred": bl, "average": "binary", "zero_division": zero},
                fn(binary, binary_pred, average="binary", zero_division=zero))
            # Nothing predicted positive: precision is zero_division.
            add({"metric": name, "y_true": yl, "y_pred": [0] * n, "average": "binary", "zero_division": zero},
                fn(binary, np.zeros(n, int), average="binary", zero_division=zero))
            for average in ("micro", "macro", "weighted"):
                add({"metric": name, "y_true": ml, "y_pred": mpl, "average": average, "zero_division": zero},
                    fn(multi, multi_pred, average=average, zero_division=zero))
                # A label only ever predicted (never true) and one never predicted.
                skewed = np.where(multi_pred == 0, k, multi_pred)
                add({"metric": name, "y_true": ml, "y_pred": skewed.tolist(), "average": average,
                     "zero_division": zero}, fn(multi, skewed, average=average, zero_division=zero))
    add({"metric": "confusion_matrix", "y_true": ml, "y_pred": mpl},
        {"labels": sorted(set(ml) | set(mpl)), "counts": metrics.confusion_matrix(multi, multi_pred).tolist()})
    add({"metric": "roc_auc", "y_true": yl, "scores": prob.tolist()}, metrics.roc_auc_score(binary, prob))
    for average in ("macro", "weighted"):
        add({"metric": "roc_auc", "y_true": ml, "scores": probs.tolist(), "average": average},
            metrics.roc_auc_score(multi, probs, multi_class="ovr", average=average))
    add({"metric": "average_precision", "y_true": yl, "scores": prob.tolist()},
        metrics.average_precision_score(binary, prob))
    add({"metric": "log_loss", "y_true": yl, "scores": prob.tolist()}, metrics.log_loss(binary, prob, labels=[0, 1]))
    add({"metric": "log_loss", "y_true": ml, "scores": probs.tolist()},
        metrics.log_loss(multi, probs, labels=list(range(k))))
    add({"metric": "brier", "y_true": yl, "scores": prob.tolist()}, metrics.brier_score_loss(binary, prob))
    for strategy in ("uniform", "quantile"):
        for bins in (1, 5, 10):
            true_frac, pred_mean = calibration_curve(binary, prob, n_bins=bins, strategy=strategy)
            add({"metric": "calibration_curve", "y_true": yl, "scores": prob.tolist(), "bins": bins,
                 "strategy": strategy},
                {"fraction_of_positives": true_frac.tolist(), "mean_predicted": pred_mean.tolist()})
    rl, rpl = y_reg.tolist(), reg_pred.tolist()
    add({"metric": "rmse", "y_true": rl, "y_pred": rpl}, metrics.mean_squared_error(y_reg, reg_pred, squared=False))
    add({"metric": "mae", "y_true": rl, "y_pred": rpl}, metrics.mean_absolute_error(y_reg, reg_pred))
    add({"metric": "r2", "y_true": rl, "y_pred": rpl}, metrics.r2_score(y_reg, reg_pred))
    add({"metric": "mape", "y_true": rl, "y_pred": rpl}, metrics.mean_absolute_percentage_error(y_reg, reg_pred))
    docs = int(rng.integers(2, 12))
    queries = int(rng.integers(1, 8))
    relevance = rng.integers(0, 4, (queries, docs)).astype(float)
    relevance[0] = 0  # a query without relevant documents scores 0
    scores = np.round(rng.random((queries, docs)), 1)
    q = [{"relevance": r.tolist(), "scores": s.tolist()} for r, s in zip(relevance, scores)]
    for k_top in (None, 1, 3):
        add({"metric": "ndcg", "queries": q, "k": k_top}, metrics.ndcg_score(relevance, scores, k=k_top))
    return out


@pytest.mark.parametrize("seed", range(25))
def test_every_metric_equals_scikit_learn(seed):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = cases(seed)
    answers = compute([request for request, _ in expected])
    for (request, theirs), answer in zip(expected, answers):
        assert "value" in answer, (request["metric"], answer)
        ours = answer["value"]
        what = {k: v for k, v in request.items() if not isinstance(v, list)}
        if isinstance(theirs, dict):
            for key in theirs:
                assert np.shape(ours[key]) == np.shape(theirs[key]), (what, key)
                assert close(ours[key], theirs[key]), (what, key, ours[key], theirs[key])
        else:
            assert close(ours, theirs), (what, ours, theirs)


def test_log_loss_clips_at_the_float64_epsilon_as_scikit_learn_1_2():
    # sklearn 1.2's eps="auto" is numpy's float64 eps (2.2e-16), not the 1e-15 of earlier releases.
    y, p = [1, 0], [0.0, 0.0]
    [answer] = compute([{"metric": "log_loss", "y_true": y, "scores": p}])
    assert close(answer["value"], metrics.log_loss(y, p, labels=[0, 1]))
    assert answer["value"] > 17.5  # -log(1e-15)/2 would be 17.27; -log(2.2e-16)/2 is 18.02


def test_undefined_metrics_are_errors_not_numbers():
    answers = compute([
        {"metric": "roc_auc", "y_true": [1, 1, 1], "scores": [0.1, 0.2, 0.3]},
        {"metric": "f1", "y_true": [0, 1, 2], "y_pred": [0, 1, 2], "average": "binary"},
        {"metric": "rmse", "y_true": [1.0, 2.0], "y_pred": [1.0]},
        {"metric": "brier", "y_true": [0, 1], "scores": [0.5, 1.5]},
        {"metric": "nope", "y_true": [], "y_pred": []},
    ])
    assert all("error" in a for a in answers), answers
