"""train.xgboost over a real maasd (docs/TRAINING.md): a model trained by maas from an uploaded dataset predicts what
python3-xgboost's xgb.train predicts from the same rows, parameters and seed (to 1e-6: binary, multiclass,
regression); the same seed and threads give the same model bytes; the registered version carries its lineage and
metrics; a job whose process is killed mid-training resumes from its checkpoint and registers one version equal to
an uninterrupted run's; bad submissions are 400s that name the problem, labels that do not fit the objective fail
the job with a message."""
import os
import pathlib
import signal

import numpy as np
import pandas as pd
import pytest
import xgboost as xgb
from sklearn import datasets

from conftest import error_of
from jobs_client import job, logs, submit, wait_for, wait_state

TOLERANCE = 1e-6


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from conftest import Maasd
    d = tmp_path_factory.mktemp("train")
    # Two job slots besides serving's: a training job with cpu_slots 1 runs at once.
    s = Maasd(d / "data", extra_args=["--jobs-slots", "3"]).start()
    yield s
    assert s.stop() == 0


def upload(server, name, frame):
    r = server.post("/api/v1/datasets", json={"name": name})
    assert r.status_code in (201, 409), r.text
    r = server.post(f"/api/v1/datasets/{name}/versions", params={"filename": f"{name}.csv"},
                    data=frame.to_csv(index=False).encode(), headers={"Content-Type": "text/csv"})
    assert r.status_code == 201, r.text
    return r.json()["version"]


def frames(loader, seed=0):
    """A dataset's rows as training and validation frames (80/20), features f0.. and label y."""
    bunch = loader()
    X, y = bunch.data.astype(np.float64), bunch.target
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    frame["y"] = y
    rng = np.random.RandomState(seed)
    validation = rng.rand(len(frame)) < 0.2
    return frame[~validation].reset_index(drop=True), frame[validation].reset_index(drop=True)


def train(server, body, timeout_s=300):
    j = submit(server, "train.xgboost", body)
    done = wait_state(server, j["id"], {"succeeded", "failed"}, timeout_s=timeout_s)
    assert done["state"] == "succeeded", (done.get("error"), logs(server, j["id"])[-20:])
    return done


def registered(server, model, job_id):
    versions = server.get(f"/api/v1/models/{model}/versions").json()["versions"]
    mine = [v for v in versions if v["lineage"].get("run_id") == job_id]
    assert len(mine) == 1, versions
    return mine[0]


def booster_of(server, model, version):
    r = server.get(f"/api/v1/models/{model}/versions/{version}/artifact")
    assert r.status_code == 200, r.text
    booster = xgb.Booster()
    booster.load_model(bytearray(r.content))
    return booster, r.content


def reference(train_frame, validation_frame, params, rounds, early_stopping=None):
    features = [c for c in train_frame.columns if c != "y"]
    dtrain = xgb.DMatrix(train_frame[features].to_numpy(), label=train_frame["y"].to_numpy(), feature_names=features)
    dval = xgb.DMatrix(validation_frame[features].to_numpy(), label=validation_frame["y"].to_numpy(),
                       feature_names=features)
    full = dict(params, tree_method="hist", seed_per_iteration=True, nthread=1)
    bst = xgb.train(full, dtrain, rounds, evals=[(dtrain, "train"), (dval, "validation")],
                    early_stopping_rounds=early_stopping, verbose_eval=False)
    end = bst.best_iteration + 1 if early_stopping else 0
    return bst.predict(dval, iteration_range=(0, end)), dval, bst


CASES = {
    "binary": (datasets.load_breast_cancer, {"objective": "binary:logistic", "eta": 0.3, "max_depth": 4,
                                             "subsample": 0.8, "colsample_bytree": 0.7, "seed": 7}, 30, 5),
    "multiclass": (datasets.load_iris, {"objective": "multi:softprob", "num_class": 3, "eta": 0.2, "max_depth": 3,
                                        "lambda": 2.0, "seed": 3}, 25, None),
    "regression": (datasets.load_diabetes, {"objective": "reg:squarederror", "eta": 0.1, "max_depth": 5,
                                            "min_child_weight": 2, "alpha": 0.5, "seed": 11}, 40, 8),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_maas_trains_what_python_xgboost_trains(server, case):
    loader, params, rounds, early_stopping = CASES[case]
    train_frame, validation_frame = frames(loader)
    tv = upload(server, f"{case}-train", train_frame)
    vv = upload(server, f"{case}-validation", validation_frame)
    body = {"model": f"{case}-model", "dataset": f"{case}-train", "version": tv, "label": "y", "params": params,
            "validation": {"dataset": f"{case}-validation", "version": vv}, "num_boost_round": rounds}
    if early_stopping:
        body["early_stopping_rounds"] = early_stopping
    done = train(server, body)
    version = registered(server, f"{case}-model", done["id"])
    ours, _ = booster_of(server, f"{case}-model", version["version"])
    theirs, dval, bst = reference(train_frame, validation_frame, params, rounds, early_stopping)
    np.testing.assert_allclose(ours.predict(dval), theirs, rtol=0, atol=TOLERANCE)
    if early_stopping:
        assert done["result"]["best_iteration"] == bst.best_iteration
        assert ours.num_boosted_rounds() == bst.best_iteration + 1
    # Lineage: how the version was made.
    lineage = version["lineage"]
    assert lineage["dataset"] == f"{case}-train@{tv}"
    assert lineage["validation_dataset"] == f"{case}-validation@{vv}"
    assert lineage["job_id"] == done["id"] and lineage["seed"] == str(params["seed"])
    assert lineage["parameters"]["objective"] == params["objective"]
    assert lineage["code_version"].startswith("maas ")
    assert version["metrics"] == done["result"]["metrics"] and version["metrics"]
    # The progress showed the last round's metrics.
    assert "validation-" + done["result"]["stopping_metric"].split("-", 1)[1] in done["progress"]["metrics"]


def test_the_same_seed_and_threads_give_the_same_model_bytes(server):
    train_frame, _ = frames(datasets.load_breast_cancer, seed=1)
    v = upload(server, "determinism", train_frame)
    body = {"model": "determinism", "dataset": "determinism", "version": v, "label": "y", "num_boost_round": 15,
            "params": {"objective": "binary:logistic", "subsample": 0.7, "colsample_bynode": 0.5, "seed": 5}}
    first = registered(server, "determinism", train(server, body)["id"])
    second = registered(server, "determinism", train(server, body)["id"])
    assert first["version"] != second["version"]
    assert first["digest"] == second["digest"]
    # The lineage's recipe, submitted again, re-runs the training: the same model again.
    recipe = first["lineage"]["recipe"]
    assert "file" not in recipe and recipe["version"] == str(v)
    again = registered(server, "determinism", train(server, recipe)["id"])
    assert again["digest"] == first["digest"]


def long_run(server):
    """A regression long enough (300 rounds over 20,000 rows) to be killed after its first checkpoint."""
    rng = np.random.RandomState(4)
    n = 20000
    frame = pd.DataFrame(rng.normal(size=(n, 20)), columns=[f"f{i}" for i in range(20)])
    frame["y"] = frame["f0"] * 2 + np.sin(frame["f1"] * 3) + rng.normal(scale=0.3, size=n)
    v = upload(server, "long", frame)
    return {"model": "long", "dataset": "long", "version": v, "label": "y", "num_boost_round": 300,
            "checkpoint_every": 5, "params": {"objective": "reg:squarederror", "max_depth": 8, "eta": 0.05,
                                              "seed": 2}}


def checkpointed(server, job_id):
    return wait_for(lambda: (lambda x: x if x["state"] == "running" and x.get("checkpoint")
                             and x.get("process") else None)(job(server, job_id)), 240,
                    "a checkpoint of the training job")


def test_a_killed_job_process_resumes_from_its_checkpoint_and_registers_one_version(server):
    body = long_run(server)
    j = submit(server, "train.xgboost", body)
    running = checkpointed(server, j["id"])
    os.kill(running["process"]["pid"], signal.SIGKILL)
    done = wait_state(server, j["id"], {"succeeded", "failed"}, timeout_s=400)
    assert done["state"] == "succeeded", done.get("error")
    assert done["attempts"] == 2
    assert any("resuming at round" in line["line"] for line in logs(server, j["id"]))
    resumed = registered(server, "long", j["id"])
    versions = server.get("/api/v1/models/long/versions").json()["versions"]
    assert len(versions) == 1
    # Reseeded per round, the resumed run equals one that never stopped.
    clean = registered(server, "long", train(server, body, timeout_s=400)["id"])
    assert resumed["digest"] == clean["digest"]


@pytest.fixture(scope="module")
def small(server):
    frame = pd.DataFrame({"x": [0.1, 0.5, 0.9, 0.3] * 10, "color": ["red", "blue", "red", "green"] * 10,
                          "when": pd.date_range("2026-01-01", periods=40).astype(str),
                          "y": [0, 1, 1, 0] * 10, "k": [0, 1, 2, 5] * 10})
    v = upload(server, "small", frame)
    return v


@pytest.mark.parametrize("change, words", [
    ({"label": "nope"}, ["label column 'nope'", "columns:"]),
    ({"features": ["x", "when"]}, ["feature column 'when'", "DATE"]),
    ({"params": {"objective": "reg:gamma"}}, ["objective 'reg:gamma'", "binary:logistic"]),
    ({"params": {"objective": "binary:logistic", "eta": "fast"}}, ["eta", "number"]),
    ({"params": {"objective": "multi:softprob"}}, ["num_class"]),
    ({"params": {"objective": "rank:ndcg"}}, ["group_column"]),
    ({"early_stopping_rounds": 5}, ["validation"]),
    ({"dataset": "missing"}, ["missing"]),
    ({"model": "Bad Name!"}, ["model"]),
])
def test_bad_submissions_are_400s_naming_the_problem(server, small, change, words):
    body = {"model": "small", "dataset": "small", "version": small, "label": "y", "features": ["x", "color"],
            "params": {"objective": "binary:logistic"}}
    body.update(change)
    r = server.post("/api/v1/jobs", json={"kind": "train.xgboost", "params": body})
    assert 400 <= r.status_code < 500, r.text
    message = error_of(r)["message"]
    assert all(w in message for w in words), message


def test_labels_that_do_not_fit_the_objective_fail_the_job_at_once(server, small):
    body = {"model": "small", "dataset": "small", "version": small, "label": "k", "features": ["x", "color"],
            "params": {"objective": "multi:softprob", "num_class": 3}, "num_boost_round": 3}
    j = submit(server, "train.xgboost", body)
    done = wait_state(server, j["id"], {"succeeded", "failed"}, timeout_s=120)
    assert done["state"] == "failed" and done["attempts"] == 1
    assert "label column 'k'" in done["error"] and "0 to 2" in done["error"], done["error"]


def test_string_columns_train_as_categorical_features(server, small):
    body = {"model": "categorical", "dataset": "small", "version": small, "label": "y", "features": ["x", "color"],
            "params": {"objective": "binary:logistic", "max_depth": 2}, "num_boost_round": 5}
    done = train(server, body)
    features = done["result"]["features"]
    assert features[1] == {"name": "color", "type": "categorical", "categories": ["blue", "green", "red"]}
    version = registered(server, "categorical", done["id"])
    booster, _ = booster_of(server, "categorical", version["version"])
    assert booster.feature_types == ["q", "c"]


def test_kill9_of_maasd_mid_training_requeues_the_job_which_resumes_and_registers_one_version(maasd_factory,
                                                                                             tmp_path):
    data = tmp_path / "data"
    first = maasd_factory(data_dir=data, extra_args=["--jobs-slots", "3"]).start()
    body = long_run(first)
    j = submit(first, "train.xgboost", body)
    pid = checkpointed(first, j["id"])["process"]["pid"]
    first.kill9()
    wait_for(lambda: not pathlib.Path(f"/proc/{pid}").exists(), 10, "the job process to die with maasd")
    second = maasd_factory(data_dir=data, extra_args=["--jobs-slots", "3"]).start()
    try:
        done = wait_state(second, j["id"], {"succeeded", "failed"}, timeout_s=400)
        assert done["state"] == "succeeded", done.get("error")
        assert done["interruptions"] == 1 and done["attempts"] == 1
        assert any("resuming at round" in line["line"] for line in logs(second, j["id"]))
        versions = second.get("/api/v1/models/long/versions").json()["versions"]
        assert len(versions) == 1 and versions[0]["lineage"]["run_id"] == j["id"]
    finally:
        assert second.stop() == 0
