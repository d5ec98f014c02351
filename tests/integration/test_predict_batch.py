"""predict.batch over a real maasd (docs/TRAINING.md, "Batch prediction"): a model version over a dataset version
into a new dataset version, chunk by chunk in a job process that loads the model's backend plugin. Its predictions
equal python3-xgboost's and python3-torch's on the same rows; with an attached pipeline they equal "transform
offline, then predict"; the new version names the model and input versions in its lineage and has a profile; what
cannot run is a 400 at submission."""
import json

import numpy as np
import pandas as pd
import pytest

from conftest import error_of
from gguf_file import write_gguf
from jobs_client import logs, submit, wait_state
from serving import register
from test_serve_pipeline import SPEC, frame, offline_features, upload_frame, wait_job
from test_train_xgboost import upload


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from conftest import Maasd
    s = Maasd(tmp_path_factory.mktemp("predict-batch") / "data", extra_args=["--jobs-slots", "3"]).start()
    yield s
    assert s.stop() == 0


def predict(server, params, timeout_s=180):
    j = submit(server, "predict.batch", params)
    done = wait_state(server, j["id"], {"succeeded", "failed"}, timeout_s=timeout_s)
    assert done["state"] == "succeeded", (done.get("error"), logs(server, j["id"])[-20:])
    return done


def rows_of(server, dataset, version="latest"):
    r = server.get(f"/api/v1/datasets/{dataset}/versions/{version}/download", params={"format": "jsonl"})
    assert r.status_code == 200, r.text
    return pd.DataFrame([json.loads(line) for line in r.text.splitlines() if line])


def features_frame(rows, seed, width=6):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(rng.normal(size=(rows, width)), columns=[f"f{i}" for i in range(width)])
    df.loc[::13, "f2"] = np.nan  # missing values reach the model as NaN
    df.insert(0, "id", np.arange(rows) * 7 + 3)
    df["note"] = [f"row {i}" for i in range(rows)]
    return df


@pytest.fixture(scope="module")
def xgb_models(server, tmp_path_factory):
    import xgboost as xgb
    tmp = tmp_path_factory.mktemp("xgb")
    train = features_frame(600, seed=1)
    x = train[[f"f{i}" for i in range(6)]].to_numpy()
    binary = xgb.train({"objective": "binary:logistic", "max_depth": 3, "nthread": 1},
                       xgb.DMatrix(x, label=(train["f0"] + train["f1"] > 0).astype(int)), 12)
    binary.save_model(str(tmp / "binary.json"))
    register(server, "bin", tmp / "binary.json")
    multi = xgb.train({"objective": "multi:softprob", "num_class": 3, "max_depth": 3, "nthread": 1},
                      xgb.DMatrix(x, label=np.digitize(train["f3"], [-0.5, 0.5])), 8)
    multi.save_model(str(tmp / "multi.json"))
    register(server, "multi", tmp / "multi.json")
    return {"bin": binary, "multi": multi}


def test_xgboost_predictions_equal_python_xgboost_across_chunks_with_passthrough_columns(server, xgb_models):
    import xgboost as xgb
    rows = features_frame(5000, seed=2)  # more than two DuckDB vectors: several chunks
    v = upload(server, "score-me", rows)
    features = [f"f{i}" for i in range(6)]
    done = predict(server, {"model": "bin", "dataset": "score-me", "version": v, "into": "bin-scores",
                            "columns": ["id", "note"], "features": features, "chunk_rows": 1000})
    assert done["result"]["rows"] == 5000 and done["result"]["prediction_columns"] == ["prediction"]
    assert done["progress"]["fraction"] == 1.0
    got = rows_of(server, "bin-scores")
    assert list(got.columns) == ["id", "note", "prediction"]
    assert got["id"].tolist() == rows["id"].tolist() and got["note"].tolist() == rows["note"].tolist()
    expected = xgb_models["bin"].predict(xgb.DMatrix(rows[features].to_numpy(dtype=np.float32)))
    np.testing.assert_array_equal(got["prediction"].to_numpy(dtype=np.float32), expected)

    # A multi-class model: one column per class, the probabilities python3-xgboost gives.
    done = predict(server, {"model": "multi", "dataset": "score-me", "into": "multi-scores", "columns": ["id"],
                            "features": features})
    got = rows_of(server, "multi-scores")
    assert list(got.columns) == ["id", "prediction_0", "prediction_1", "prediction_2"]
    expected = xgb_models["multi"].predict(xgb.DMatrix(rows[features].to_numpy(dtype=np.float32)))
    np.testing.assert_array_equal(got[["prediction_0", "prediction_1", "prediction_2"]].to_numpy(np.float32),
                                  expected)


def test_the_new_version_has_lineage_and_a_profile(server, xgb_models):
    v = upload(server, "lineage-in", features_frame(50, seed=3))
    done = predict(server, {"model": "bin", "model_version": 1, "dataset": "lineage-in", "version": v,
                            "features": [f"f{i}" for i in range(6)], "description": "nightly scores"})
    version = server.get("/api/v1/datasets/bin-predictions/versions/latest").json()  # the default target
    assert version["row_count"] == 50 and version["description"] == "nightly scores"
    lineage = version["lineage"]
    assert lineage["source"] == f"dataset:lineage-in@{v}" and lineage["rule"] == "model:bin@1"
    assert lineage["job_id"] == done["id"]
    assert {"dataset": "lineage-in", "version": v} in lineage["parents"]
    assert lineage["details"]["model"] == {"name": "bin", "version": 1}
    assert "prediction" in json.dumps(version["profile"])


def test_torchscript_predictions_equal_python_torch(server, tmp_path):
    import torch
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(6, 16), torch.nn.ReLU(), torch.nn.Linear(16, 2))
    torch.jit.script(net).save(str(tmp_path / "mlp.pt"))
    register(server, "mlp", tmp_path / "mlp.pt")
    rows = features_frame(300, seed=4).fillna(0.0)
    v = upload(server, "torch-in", rows)
    features = [f"f{i}" for i in range(6)]
    predict(server, {"model": "mlp", "dataset": "torch-in", "version": v, "columns": ["id"], "features": features})
    got = rows_of(server, "mlp-predictions")
    with torch.no_grad():
        expected = net(torch.tensor(rows[features].to_numpy(dtype=np.float32))).numpy()
    np.testing.assert_allclose(got[["prediction_0", "prediction_1"]].to_numpy(np.float32), expected, rtol=0,
                               atol=1e-6)


def test_with_an_attached_pipeline_predictions_equal_transform_then_predict(server, tmp_path):
    import xgboost as xgb
    train = frame(400, seed=1)
    upload_frame(server, "raw", train)
    fresh = frame(300, seed=2, cities=("Lyon", "Paris", "Brest"))  # a city the pipeline never saw
    fresh.insert(0, "id", range(300))
    upload_frame(server, "fresh", fresh)
    assert server.post("/api/v1/pipelines", json={"name": "prep", "spec": SPEC}).status_code == 201
    wait_job(server, server.post("/api/v1/pipelines/prep/fit", json={"dataset": "raw"}))
    train_x = offline_features(server, "raw", "raw_features")
    fresh_x = offline_features(server, "fresh", "fresh_features")
    booster = xgb.train({"max_depth": 4, "eta": 0.3, "nthread": 1},
                        xgb.DMatrix(train_x.astype(np.float32), label=train["y"]), 20)
    booster.save_model(str(tmp_path / "model.json"))
    register(server, "piped", tmp_path / "model.json")
    assert server.put("/api/v1/models/piped/versions/1/pipeline", json={"name": "prep"}).status_code == 200
    done = predict(server, {"model": "piped", "dataset": "fresh", "columns": ["id", "city"], "chunk_rows": 100})
    assert done["result"]["rows"] == 300
    got = rows_of(server, "piped-predictions")
    assert got["id"].tolist() == list(range(300)) and got["city"].tolist() == fresh["city"].tolist()
    expected = booster.predict(xgb.DMatrix(fresh_x.astype(np.float32)))
    np.testing.assert_array_equal(got["prediction"].to_numpy(np.float32), expected)
    lineage = server.get("/api/v1/datasets/piped-predictions/versions/latest").json()["lineage"]
    assert lineage["details"]["pipeline"] == {"name": "prep", "version": 1}
    # The pipeline names the model's columns: features would be a second answer.
    r = server.post("/api/v1/jobs", json={"kind": "predict.batch", "params": {"model": "piped", "dataset": "fresh",
                                                                               "features": ["x1"]}})
    assert r.status_code == 400 and "leave params.features out" in error_of(r)["message"], r.text
    # A dataset without a column the pipeline reads.
    upload(server, "no-city", fresh.drop(columns=["city"]))
    r = server.post("/api/v1/jobs", json={"kind": "predict.batch", "params": {"model": "piped", "dataset": "no-city"}})
    assert r.status_code == 400 and "'city'" in error_of(r)["message"], r.text


@pytest.mark.parametrize("change, words", [
    ({"features": ["f0", "nope"]}, "'nope' is not in dataset"),
    ({"features": ["f0", "note"]}, "'note' is VARCHAR"),
    ({"features": None}, "name its input columns"),
    ({"columns": ["missing"]}, "'missing' is not in dataset"),
    ({"chunk_rows": 0}, "chunk_rows"),
    ({"parameters": {"output": 1}}, "params.parameters.output"),
    ({"into": "bad name!"}, "dataset"),
    ({"colour": "red"}, "not a parameter of predict.batch"),
])
def test_bad_submissions_are_400s_naming_the_problem(server, xgb_models, change, words):
    upload(server, "bad-in", features_frame(20, seed=5))
    params = {"model": "bin", "dataset": "bad-in", "features": [f"f{i}" for i in range(6)], **change}
    params = {k: v for k, v in params.items() if v is not None}
    r = server.post("/api/v1/jobs", json={"kind": "predict.batch", "params": params})
    assert r.status_code == 400, r.text
    assert words in error_of(r)["message"], error_of(r)["message"]


def test_a_generative_model_or_an_unknown_version_is_refused_at_submission(server, tmp_path):
    upload(server, "any-in", features_frame(20, seed=6))
    register(server, "llm", write_gguf(tmp_path / "model.gguf", 1 << 20))
    r = server.post("/api/v1/jobs", json={"kind": "predict.batch", "params": {"model": "llm", "dataset": "any-in",
                                                                               "features": ["f0"]}})
    assert r.status_code == 400 and "batch prediction runs tensor models" in error_of(r)["message"], r.text
    r = server.post("/api/v1/jobs", json={"kind": "predict.batch", "params": {"model": "llm", "model_version": 9,
                                                                               "dataset": "any-in"}})
    assert r.status_code == 404, r.text
