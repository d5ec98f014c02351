"""train.evaluate and the ranking and weighted objectives of train.xgboost over a real maasd (docs/TRAINING.md): an
evaluation job computes, on a holdout dataset version, the metrics scikit-learn computes from python3-xgboost's
predictions of the same model (to 1e-9) and stores them on the model version; a ranking model (rank:ndcg with a
group column) and one trained with per-row weights equal python3-xgboost's."""
import numpy as np
import pandas as pd
import pytest
import xgboost as xgb
from sklearn import datasets, metrics

from conftest import error_of
from jobs_client import submit, wait_state
from test_train_xgboost import booster_of, frames, registered, train, upload


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from conftest import Maasd
    s = Maasd(tmp_path_factory.mktemp("evaluate") / "data", extra_args=["--jobs-slots", "3"]).start()
    yield s
    assert s.stop() == 0


def evaluate(server, body):
    j = submit(server, "train.evaluate", body)
    done = wait_state(server, j["id"], {"succeeded", "failed"}, timeout_s=120)
    assert done["state"] == "succeeded", done.get("error")
    return done


def test_evaluation_metrics_equal_scikit_learn_on_the_models_predictions(server):
    train_frame, holdout = frames(datasets.load_breast_cancer, seed=2)
    tv = upload(server, "bc-train", train_frame)
    hv = upload(server, "bc-holdout", holdout)
    done = train(server, {"model": "bc", "dataset": "bc-train", "version": tv, "label": "y", "num_boost_round": 10,
                          "params": {"objective": "binary:logistic", "max_depth": 3}})
    version = registered(server, "bc", done["id"])["version"]
    result = evaluate(server, {"model": "bc", "model_version": version, "dataset": "bc-holdout", "version": hv})
    ours = result["result"]["metrics"]
    booster, _ = booster_of(server, "bc", version)
    features = [c for c in holdout.columns if c != "y"]
    p = booster.predict(xgb.DMatrix(holdout[features].to_numpy(), feature_names=features)).astype(np.float64)
    y = holdout["y"].to_numpy()
    decided = (p > 0.5).astype(int)
    expected = {"accuracy": metrics.accuracy_score(y, decided), "precision": metrics.precision_score(y, decided),
                "recall": metrics.recall_score(y, decided), "f1": metrics.f1_score(y, decided),
                "roc_auc": metrics.roc_auc_score(y, p), "average_precision": metrics.average_precision_score(y, p),
                "log_loss": metrics.log_loss(y, p), "brier": metrics.brier_score_loss(y, p)}
    assert set(ours) == set(expected)
    for name, value in expected.items():
        assert abs(ours[name] - value) <= 1e-9, (name, ours[name], value)
    stored = server.get(f"/api/v1/models/bc/versions/{version}").json()
    assert stored["metrics"]["holdout:roc_auc"] == ours["roc_auc"]
    assert stored["lineage"]["evaluations"][0]["job_id"] == result["id"]
    assert stored["lineage"]["evaluations"][0]["dataset"] == f"bc-holdout@{hv}"


def test_evaluating_a_model_maas_did_not_train_is_a_400(server, models_dir):
    upload(server, "any", pd.DataFrame({"x": [1.0, 2.0], "y": [0, 1]}))
    assert server.post("/api/v1/models", json={"name": "uploaded"}).status_code == 201
    assert server.upload("uploaded", models_dir / "xgb_breast_cancer.json").status_code == 201
    r = server.post("/api/v1/jobs", json={"kind": "train.evaluate", "params": {"model": "uploaded",
                                                                              "dataset": "any"}})
    assert r.status_code == 400 and "not trained by maas" in error_of(r)["message"]


def test_a_ranking_model_equals_python_xgboost(server):
    rng = np.random.RandomState(9)
    queries, per = 60, 12
    frame = pd.DataFrame(rng.normal(size=(queries * per, 6)), columns=[f"f{i}" for i in range(6)])
    frame["qid"] = np.repeat(np.arange(queries), per)
    frame["y"] = np.clip(np.round(frame["f0"] + frame["f1"] * 0.5 + rng.normal(scale=0.5, size=len(frame))), 0, 4)
    frame["y"] = frame["y"].astype(int)
    v = upload(server, "rank", frame)
    params = {"objective": "rank:ndcg", "eta": 0.2, "max_depth": 4, "seed": 1}
    done = train(server, {"model": "rank", "dataset": "rank", "version": v, "label": "y", "group_column": "qid",
                          "num_boost_round": 15, "params": params})
    features = [f"f{i}" for i in range(6)]
    dtrain = xgb.DMatrix(frame[features].to_numpy(), label=frame["y"].to_numpy(), feature_names=features)
    dtrain.set_group([per] * queries)
    bst = xgb.train(dict(params, tree_method="hist", seed_per_iteration=True, nthread=1), dtrain, 15)
    ours, _ = booster_of(server, "rank", registered(server, "rank", done["id"])["version"])
    np.testing.assert_allclose(ours.predict(dtrain), bst.predict(dtrain), rtol=0, atol=1e-6)
    scores = bst.predict(dtrain).reshape(queries, per)
    relevance = frame["y"].to_numpy().reshape(queries, per)
    assert abs(done["result"]["metrics"]["ndcg@10"] - metrics.ndcg_score(relevance, scores, k=10)) <= 1e-9


def test_per_row_weights_train_as_python_xgboost(server):
    train_frame, _ = frames(datasets.load_diabetes, seed=3)
    train_frame["w"] = np.linspace(0.5, 2.0, len(train_frame))
    v = upload(server, "weighted", train_frame)
    params = {"objective": "reg:tweedie", "tweedie_variance_power": 1.3, "eta": 0.1, "seed": 4}
    done = train(server, {"model": "weighted", "dataset": "weighted", "version": v, "label": "y",
                          "weight_column": "w", "num_boost_round": 20, "params": params})
    features = [c for c in train_frame.columns if c not in ("y", "w")]
    dtrain = xgb.DMatrix(train_frame[features].to_numpy(), label=train_frame["y"].to_numpy(),
                         weight=train_frame["w"].to_numpy(), feature_names=features)
    bst = xgb.train(dict(params, tree_method="hist", seed_per_iteration=True, nthread=1), dtrain, 20)
    ours, _ = booster_of(server, "weighted", registered(server, "weighted", done["id"])["version"])
    np.testing.assert_allclose(ours.predict(dtrain), bst.predict(dtrain), rtol=0, atol=1e-6)
