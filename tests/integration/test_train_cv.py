"""train.cv over a real maasd (docs/TRAINING.md): the folds equal scikit-learn 1.2's KFold, StratifiedKFold (with and
without shuffle and a seed), GroupKFold and TimeSeriesSplit on random cases (through the training_folds_check
binary); a cross-validation job's per-round curve equals python3-xgboost's xgb.cv over the same folds (to 1e-6,
early stopping included), its per-fold metrics equal scikit-learn's on xgb.train's predictions of each fold;
grouped and time-ordered jobs split as sklearn does; bad submissions are 400s naming the field."""
import json
import os
import pathlib
import signal
import subprocess

import numpy as np
import pandas as pd
import pytest
import xgboost as xgb
from sklearn import datasets, metrics
from sklearn.model_selection import GroupKFold, KFold, StratifiedKFold, TimeSeriesSplit

from conftest import error_of
from jobs_client import job, logs, submit, wait_for, wait_state
from test_train_xgboost import upload

BIN = pathlib.Path(os.environ["MAAS_BIN_DIR"]) / "training_folds_check"
TOLERANCE = 1e-6


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from conftest import Maasd
    s = Maasd(tmp_path_factory.mktemp("cv") / "data", extra_args=["--jobs-slots", "3"]).start()
    yield s
    assert s.stop() == 0


def folds_of(requests):
    lines = "".join(json.dumps(r) + "\n" for r in requests)
    out = subprocess.run([str(BIN)], input=lines, capture_output=True, text=True, check=True, timeout=120).stdout
    return [json.loads(line) for line in out.splitlines()]


def sklearn_folds(splitter, n, y=None, groups=None):
    return [{"train": tr.tolist(), "test": te.tolist()} for tr, te in splitter.split(np.zeros((n, 1)), y, groups)]


def fold_cases(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(40, 300))
    k = int(rng.integers(2, 7))
    shuffle_seed = int(rng.integers(0, 2**32 - 1))
    y = rng.integers(0, int(rng.integers(2, 5)), n).astype(float)
    # Few groups (ties in their sizes) and many (mostly distinct sizes).
    groups = rng.integers(0, int(rng.choice([k + 2, 40])), n)
    groups = np.unique(groups, return_inverse=True)[1]
    cases = [({"strategy": "kfold", "folds": k}, {}, KFold(k)),
             ({"strategy": "kfold", "folds": k, "shuffle": True, "seed": shuffle_seed}, {},
              KFold(k, shuffle=True, random_state=shuffle_seed)),
             ({"strategy": "timeseries", "time_column": "t", "folds": k}, {}, TimeSeriesSplit(k)),
             ({"strategy": "timeseries", "time_column": "t", "folds": k, "gap": 2, "max_train_size": n // 3}, {},
              TimeSeriesSplit(k, gap=2, max_train_size=n // 3))]
    if np.bincount(y.astype(int)).max() >= k:
        cases += [({"strategy": "stratified", "folds": k}, {"labels": y.tolist()}, StratifiedKFold(k)),
                  ({"strategy": "stratified", "folds": k, "shuffle": True, "seed": shuffle_seed},
                   {"labels": y.tolist()}, StratifiedKFold(k, shuffle=True, random_state=shuffle_seed))]
    if groups.max() + 1 >= k:
        cases.append(({"strategy": "group", "group_column": "g", "folds": k}, {"groups": groups.tolist()},
                      GroupKFold(k)))
    return [({"cv": cv, "rows": n, **extra}, sklearn_folds(s, n, y=y, groups=groups)) for cv, extra, s in cases]


def test_folds_equal_scikit_learn():
    cases = [case for seed in range(60) for case in fold_cases(seed)]
    answers = folds_of([request for request, _ in cases])
    for (request, expected), answer in zip(cases, answers):
        assert answer.get("folds") == expected, (request["cv"], request["rows"], answer.get("error"))


def test_impossible_splits_are_refused_with_sklearns_reason():
    answers = folds_of([{"cv": {"folds": 5}, "rows": 3},
                        {"cv": {"strategy": "stratified", "folds": 3}, "rows": 4, "labels": [0, 0, 1, 1]},
                        {"cv": {"strategy": "group", "group_column": "g", "folds": 3}, "rows": 4,
                         "groups": [0, 0, 1, 1]}])
    assert "greater than the number of rows" in answers[0]["error"]
    assert "each class" in answers[1]["error"]
    assert "number of groups" in answers[2]["error"]


def cv_job(server, body, timeout_s=300):
    j = submit(server, "train.cv", body)
    done = wait_state(server, j["id"], {"succeeded", "failed"}, timeout_s=timeout_s)
    assert done["state"] == "succeeded", (done.get("error"), logs(server, j["id"])[-20:])
    return done["result"]


def frame_of(loader):
    bunch = loader()
    frame = pd.DataFrame(bunch.data.astype(np.float64), columns=[f"f{i}" for i in range(bunch.data.shape[1])])
    frame["y"] = bunch.target
    return frame


def assert_curve_equals_xgb_cv(result, frame, features, params, rounds, folds, early_stopping=None):
    dall = xgb.DMatrix(frame[features].to_numpy(), label=frame["y"].to_numpy(), feature_names=features)
    full = dict(params, tree_method="hist", seed_per_iteration=True, nthread=1)
    theirs = xgb.cv(full, dall, rounds, folds=[(tr, te) for tr, te in folds],
                    early_stopping_rounds=early_stopping, as_pandas=True)
    assert len(result["curve"]) == len(theirs) == result["rounds"]
    for column in theirs.columns:
        ours = np.array([row[column] for row in result["curve"]])
        np.testing.assert_allclose(ours, theirs[column].to_numpy(), rtol=0, atol=TOLERANCE, err_msg=column)
    return dall, full


def test_stratified_cv_equals_xgb_cv_and_sklearn_metrics(server):
    frame = frame_of(datasets.load_breast_cancer)
    v = upload(server, "cv-cancer", frame)
    params = {"objective": "binary:logistic", "eta": 0.3, "max_depth": 3, "subsample": 0.8, "seed": 4}
    result = cv_job(server, {"dataset": "cv-cancer", "version": v, "label": "y", "params": params,
                             "num_boost_round": 12, "cv": {"strategy": "stratified", "folds": 4, "shuffle": True,
                                                           "seed": 17}})
    features = [c for c in frame.columns if c != "y"]
    splits = list(StratifiedKFold(4, shuffle=True, random_state=17).split(frame[features], frame["y"]))
    dall, full = assert_curve_equals_xgb_cv(result, frame, features, params, 12, splits)
    assert result["strategy"] == "stratified" and result["rows"] == len(frame)
    aucs = []
    for fold, (tr, te) in zip(result["folds"], splits):
        assert fold["train_rows"] == len(tr) and fold["test_rows"] == len(te)
        bst = xgb.train(full, dall.slice(tr), 12)
        p = bst.predict(dall.slice(te)).astype(np.float64)
        y = frame["y"].to_numpy()[te]
        assert abs(fold["metrics"]["log_loss"] - metrics.log_loss(y, p)) <= TOLERANCE
        assert fold["metrics"]["accuracy"] == metrics.accuracy_score(y, p > 0.5)
        aucs.append(fold["metrics"]["roc_auc"])
    assert abs(result["metrics"]["roc_auc"]["mean"] - np.mean(aucs)) <= 1e-12
    assert abs(result["metrics"]["roc_auc"]["std"] - np.std(aucs)) <= 1e-12


def test_early_stopping_watches_the_mean_test_metric_as_xgb_cv(server):
    frame = frame_of(datasets.load_diabetes)
    v = upload(server, "cv-diabetes", frame)
    params = {"objective": "reg:squarederror", "eta": 0.3, "max_depth": 6, "seed": 2}
    result = cv_job(server, {"dataset": "cv-diabetes", "version": v, "label": "y", "params": params,
                             "num_boost_round": 200, "early_stopping_rounds": 5, "checkpoint_every": 3,
                             "cv": {"folds": 3}})
    features = [c for c in frame.columns if c != "y"]
    splits = list(KFold(3).split(frame[features]))
    assert_curve_equals_xgb_cv(result, frame, features, params, 200, splits, early_stopping=5)
    assert result["rounds"] < 200 and result["best_iteration"] == result["rounds"] - 1
    assert set(result["metrics"]) == {"rmse", "mae", "r2", "mape"}


def test_grouped_and_time_ordered_jobs_split_as_sklearn(server):
    rng = np.random.RandomState(5)
    n = 240
    frame = pd.DataFrame(rng.normal(size=(n, 4)), columns=["a", "b", "c", "d"])
    frame["y"] = (frame["a"] + rng.normal(scale=0.5, size=n) > 0).astype(int)
    frame["store"] = rng.choice(["north", "south", "east", "west", "hub", "depot", "mall"], n)
    frame["day"] = rng.permutation(n)  # the file is not in time order
    v = upload(server, "cv-shops", frame)
    params = {"objective": "binary:logistic", "max_depth": 2, "seed": 1}
    base = {"dataset": "cv-shops", "version": v, "label": "y", "params": params, "num_boost_round": 5}
    features = ["a", "b", "c", "d"]
    grouped = cv_job(server, dict(base, features=features,
                                  cv={"strategy": "group", "group_column": "store", "folds": 3}))
    splits = list(GroupKFold(3).split(frame[features], frame["y"], frame["store"]))
    assert [f["test_rows"] for f in grouped["folds"]] == [len(te) for _, te in splits]
    assert_curve_equals_xgb_cv(grouped, frame, features, params, 5, splits)
    timed = cv_job(server, dict(base, features=features,
                                cv={"strategy": "timeseries", "time_column": "day", "folds": 4}))
    ordered = frame.sort_values("day", kind="stable").reset_index(drop=True)
    splits = list(TimeSeriesSplit(4).split(ordered[features]))
    assert [(f["train_rows"], f["test_rows"]) for f in timed["folds"]] == [(len(tr), len(te)) for tr, te in splits]
    assert_curve_equals_xgb_cv(timed, ordered, features, params, 5, splits)


def test_a_killed_cv_process_resumes_from_its_checkpoint_with_the_same_result(server):
    rng = np.random.RandomState(8)
    n = 12000
    frame = pd.DataFrame(rng.normal(size=(n, 12)), columns=[f"f{i}" for i in range(12)])
    frame["y"] = frame["f0"] * 2 + np.sin(frame["f1"] * 3) + rng.normal(scale=0.3, size=n)
    v = upload(server, "cv-long", frame)
    body = {"dataset": "cv-long", "version": v, "label": "y", "num_boost_round": 150, "checkpoint_every": 5,
            "params": {"objective": "reg:squarederror", "max_depth": 7, "eta": 0.05, "seed": 3},
            "cv": {"folds": 3, "shuffle": True, "seed": 5}}
    j = submit(server, "train.cv", body)
    running = wait_for(lambda: (lambda x: x if x["state"] == "running" and x.get("checkpoint")
                                and x.get("process") else None)(job(server, j["id"])), 240,
                       "a checkpoint of the cross-validation job")
    os.kill(running["process"]["pid"], signal.SIGKILL)
    done = wait_state(server, j["id"], {"succeeded", "failed"}, timeout_s=600)
    assert done["state"] == "succeeded", done.get("error")
    assert done["attempts"] == 2
    # Log lines reach the log center on their own path: wait for the line rather than read once.
    wait_for(lambda: any("resuming at round" in line["line"] for line in logs(server, j["id"])), 30, "the resume line")
    # Without row or column sampling (see docs/TRAINING.md), the resumed folds train what an uninterrupted run does.
    clean = cv_job(server, body, timeout_s=600)
    assert done["result"]["curve"] == clean["curve"]
    assert done["result"]["folds"] == clean["folds"]


@pytest.mark.parametrize("body,field", [
    ({"model": "m"}, "params.model"),
    ({"cv": {"strategy": "stratified"}, "params": {"objective": "reg:squarederror"}}, "stratified"),
    ({"cv": {"strategy": "group"}}, "group_column"),
    ({"cv": {"strategy": "group", "group_column": "nope"}}, "nope"),
    ({"cv": {"folds": 1}}, "params.cv.folds"),
    ({"cv": {"shufle": True}}, "params.cv.shufle"),
    ({"cv": {"strategy": "loo"}}, "loo"),
])
def test_bad_submissions_are_400s_naming_the_field(server, body, field):
    upload(server, "cv-small", pd.DataFrame({"x": np.arange(20.0), "y": [0, 1] * 10}))
    params = dict({"dataset": "cv-small", "label": "y", "params": {"objective": "binary:logistic"},
                   "cv": {"folds": 2}}, **body)
    r = server.post("/api/v1/jobs", json={"kind": "train.cv", "params": params})
    assert r.status_code == 400, r.text
    assert field in error_of(r)["message"]
