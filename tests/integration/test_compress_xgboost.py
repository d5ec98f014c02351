"""compress.xgboost over a real maasd (docs/COMPRESSION.md): a model trained by train.xgboost is trimmed to the
fewest rounds whose holdout metric is within the tolerance of the best; the new version's predictions equal
python3-xgboost's predict(iteration_range=(0, k)) of the original, k is the round count scikit-learn's metric picks
over the same predictions, and the report's sizes, rounds and metrics are those of the two files."""
import numpy as np
import pytest
import xgboost as xgb
from sklearn import datasets, metrics

from cli_driver import INVALID_INPUT, cli_for
from jobs_client import submit, wait_state
from test_train_xgboost import booster_of, frames, registered, train, upload


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from conftest import Maasd
    s = Maasd(tmp_path_factory.mktemp("compress-xgb") / "data", extra_args=["--jobs-slots", "3"]).start()
    yield s
    assert s.stop() == 0


@pytest.fixture(scope="module")
def trained(server):
    """A binary model of 60 rounds (more than the holdout needs) and its holdout dataset."""
    train_frame, holdout = frames(datasets.load_breast_cancer, seed=4)
    tv = upload(server, "bc-train", train_frame)
    hv = upload(server, "bc-holdout", holdout)
    done = train(server, {"model": "bc", "dataset": "bc-train", "version": tv, "label": "y", "num_boost_round": 60,
                          "params": {"objective": "binary:logistic", "eta": 0.3, "max_depth": 4}})
    return registered(server, "bc", done["id"])["version"], hv, holdout


def trim(server, params):
    j = submit(server, "compress.xgboost", params)
    done = wait_state(server, j["id"], {"succeeded", "failed"}, timeout_s=180)
    assert done["state"] == "succeeded", done.get("error")
    return done


@pytest.mark.parametrize("metric, tolerance", [("log_loss", 0.01), ("roc_auc", 0.002)])
def test_trimmed_model_predicts_as_iteration_range_of_the_original(server, trained, metric, tolerance):
    version, hv, holdout = trained
    done = trim(server, {"model": "bc", "model_version": version, "dataset": "bc-holdout", "version": hv,
                         "metric": metric, "tolerance": tolerance})
    new_version = done["result"]["version"]["version"]
    report = done["result"]["report"]

    original, original_bytes = booster_of(server, "bc", version)
    trimmed, trimmed_bytes = booster_of(server, "bc", new_version)
    features = [c for c in holdout.columns if c != "y"]
    matrix = xgb.DMatrix(holdout[features].to_numpy(), feature_names=features)
    y = holdout["y"].to_numpy()
    score = {"log_loss": metrics.log_loss, "roc_auc": metrics.roc_auc_score}[metric]
    curve = [score(y, original.predict(matrix, iteration_range=(0, k)).astype(np.float64)) for k in range(1, 61)]
    best = max(curve) if metric == "roc_auc" else min(curve)
    within = [k for k, v in enumerate(curve, 1)
              if (v >= best - tolerance if metric == "roc_auc" else v <= best + tolerance)]
    k = within[0]
    assert report["rounds"] == {"before": 60, "after": k}
    assert trimmed.num_boosted_rounds() == k
    np.testing.assert_array_equal(trimmed.predict(matrix), original.predict(matrix, iteration_range=(0, k)))
    assert abs(report["metric"]["best"] - best) <= 1e-9 and abs(report["metric"]["chosen"] - curve[k - 1]) <= 1e-9
    assert np.allclose(report["metric"]["curve"], curve, rtol=0, atol=1e-9)

    assert report["size_bytes"]["before"] == len(original_bytes)
    assert report["size_bytes"]["after"] == len(trimmed_bytes) < len(original_bytes)
    assert report["latency"]["before_ms"] > 0 and report["latency"]["after_ms"] > 0
    assert abs(report["metrics_after"][metric] - curve[k - 1]) <= 1e-9
    assert abs(report["metrics_before"][metric] - curve[-1]) <= 1e-9

    stored = server.get(f"/api/v1/models/bc/versions/{new_version}").json()
    lineage = stored["lineage"]
    assert lineage["parent"] == f"bc@{version}" and lineage["method"] == "compress.xgboost"
    assert lineage["parameters"] == {"metric": metric, "tolerance": tolerance, "rounds": k,
                                     "holdout": f"bc-holdout@{hv}"}
    assert stored["metrics"][f"holdout:{metric}"] == report["metrics_after"][metric]
    # The trimmed version keeps its source's features: train.evaluate evaluates it.
    j = submit(server, "train.evaluate", {"model": "bc", "model_version": new_version, "dataset": "bc-holdout",
                                          "version": hv})
    assert wait_state(server, j["id"], {"succeeded", "failed"}, timeout_s=120)["state"] == "succeeded"


@pytest.mark.parametrize("change, words", [
    ({"metric": "speed"}, ["params.metric", "log_loss"]),
    ({"tolerance": -1}, ["params.tolerance"]),
    ({"dataset": None}, ["params.dataset"]),
    ({"rounds": 3}, ["params.rounds", "compress.xgboost"]),
])
def test_bad_submissions_are_400s(server, trained, change, words):
    version, hv, _ = trained
    params = {"model": "bc", "model_version": version, "dataset": "bc-holdout", "version": hv, **change}
    params = {k: v for k, v in params.items() if v is not None}
    r = server.post("/api/v1/jobs", json={"kind": "compress.xgboost", "params": params})
    assert r.status_code == 400, r.text
    for word in words:
        assert word in r.json()["error"]["message"]


def test_the_cli_trims_and_follows_the_job_to_its_end(server, trained):
    version, hv, _ = trained
    cli = cli_for(server)
    result = cli.run("compress", "xgboost", "--model", f"bc:{version}", "--dataset", f"bc-holdout:{hv}",
                     "--tolerance", "0.02", "--follow")
    assert result.returncode == 0, result.stderr
    assert "STATE:     succeeded" in result.stdout
    assert "kept " in result.stdout and " of 60 rounds" in result.stdout, result.stdout
    result = cli.fails(INVALID_INPUT, "compress", "xgboost", "--model", f"bc:{version}", "--dataset", "bc-holdout",
                       "--metric", "speed")
    assert "params.metric" in result.stderr
