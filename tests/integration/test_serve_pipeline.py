"""A model version served with its fitted feature pipeline (docs/FEATURES.md, "Serving a model with its pipeline"):
raw-column requests (named columns, strings for categories) are transformed in the worker by the same code as the
offline features.transform job, so an XGBoost and a TorchScript model answer exactly what "transform offline, then
predict" gives, single requests and under dynamic batching; attaching checks the model's input, pins the pipeline
version; bad input is a 400 naming the column and the worker stays up."""
import json
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest
import requests

from conftest import error_of
from jobs_client import wait_for
from serving import load, register
from v2_client import decode_response

NUMERIC = ["x1", "x2", "x3", "n"]
CATEGORICAL = ["city", "plan"]
SPEC = {"transformers": [
    {"name": "num", "columns": NUMERIC,
     "steps": [{"step": "SimpleImputer", "strategy": "median"}, {"step": "StandardScaler"}]},
    {"name": "cat", "columns": CATEGORICAL, "steps": [{"step": "OneHotEncoder", "handle_unknown": "ignore"}]}]}


def frame(rows, seed, cities=("Lyon", "Paris", "Nice", "Lille")):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"x1": rng.normal(5, 2, rows), "x2": rng.exponential(3, rows), "x3": rng.normal(-1, 10, rows),
                       "n": rng.integers(0, 100, rows), "city": rng.choice(list(cities), rows),
                       "plan": rng.choice(["free", "pro", "team"], rows)})
    df.loc[::9, "x1"] = np.nan  # the imputer fills it with the fitted median
    df["y"] = 2 * df["x2"] - (df["city"] == "Paris") * 3 + rng.normal(0, 0.1, rows)
    return df


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from conftest import Maasd
    s = Maasd(tmp_path_factory.mktemp("serve-pipeline") / "data").start()
    yield s
    assert s.stop() == 0


def wait_job(server, r):
    assert r.status_code == 202, r.text
    job_id = r.json()["id"]
    job = wait_for(lambda: (lambda j: j if j["state"] in ("failed", "succeeded", "cancelled") else None)(
        server.get(f"/api/v1/jobs/{job_id}").json()), 120, f"job {job_id}")
    assert job["state"] == "succeeded", job
    return job


def upload_frame(server, name, df):
    server.post("/api/v1/datasets", json={"name": name})
    r = server.post(f"/api/v1/datasets/{name}/versions", params={"filename": "data.csv"},
                    data=df.to_csv(index=False, float_format="%.17g").encode(), headers={"Content-Type": "text/csv"})
    assert r.status_code == 201, r.text


def offline_features(server, dataset, into):
    """The features.transform job's output for `dataset`: what "transform offline" means, read back exactly."""
    wait_job(server, server.post("/api/v1/pipelines/prep/versions/1/transform", json={"dataset": dataset, "into": into}))
    r = server.get(f"/api/v1/datasets/{into}/versions/latest/download", params={"format": "jsonl"})
    assert r.status_code == 200, r.text
    rows = [json.loads(line) for line in r.text.splitlines() if line]
    columns = server.get("/api/v1/pipelines/prep/versions/1").json()["output_columns"]
    return np.array([[row[c] for c in columns] for row in rows], dtype=np.float64)


@pytest.fixture(scope="module")
def prepared(server, tmp_path_factory):
    """A fitted pipeline, the offline features of the training and the request data, and two models trained on
    the training features: XGBoost and TorchScript, registered but not loaded."""
    import torch
    import xgboost as xgb
    train = frame(400, seed=1)
    upload_frame(server, "raw", train)
    # Requests: a city the pipeline never saw (one-hot all zeros, handle_unknown: ignore) and missing numbers.
    fresh = frame(64, seed=2, cities=("Lyon", "Paris", "Brest"))
    upload_frame(server, "fresh", fresh)
    assert server.post("/api/v1/pipelines", json={"name": "prep", "spec": SPEC}).status_code == 201
    wait_job(server, server.post("/api/v1/pipelines/prep/fit", json={"dataset": "raw"}))
    train_x = offline_features(server, "raw", "raw_features")
    fresh_x = offline_features(server, "fresh", "fresh_features")
    assert train_x.shape == (400, 4 + 4 + 3) and fresh_x.shape == (64, 11)
    assert (fresh_x[fresh["city"] == "Brest"][:, 4:8] == 0).all()

    tmp = tmp_path_factory.mktemp("serve-pipeline-models")
    booster = xgb.train({"max_depth": 4, "eta": 0.3, "nthread": 1}, xgb.DMatrix(train_x.astype(np.float32),
                                                                               label=train["y"]), 20)
    booster.save_model(str(tmp / "model.json"))
    register(server, "xgb", tmp / "model.json")

    class Scale(torch.nn.Module):
        def forward(self, features: torch.Tensor) -> torch.Tensor:
            return features * 2.0  # exact in float32: the output shows the features the model got

    torch.jit.script(Scale()).save(str(tmp / "scale.pt"))
    register(server, "ts", tmp / "scale.pt")
    xgb_expected = booster.predict(xgb.DMatrix(fresh_x.astype(np.float32)))
    ts_expected = fresh_x.astype(np.float32) * np.float32(2.0)
    return {"fresh": fresh, "xgb": xgb_expected, "ts": ts_expected}


def raw_body(df, binary_numbers=False):
    """A raw-column request: numbers as FP64 (JSON, or the binary extension to carry NaN), strings as BYTES."""
    inputs, blobs = [], []
    for c in NUMERIC:
        values = df[c].to_numpy(dtype=np.int64 if c == "n" else np.float64)
        datatype = "INT64" if c == "n" else "FP64"
        if binary_numbers:
            inputs.append({"name": c, "shape": [len(df)], "datatype": datatype,
                           "parameters": {"binary_data_size": values.nbytes}})
            blobs.append(values.tobytes())
        else:
            inputs.append({"name": c, "shape": [len(df)], "datatype": datatype, "data": values.tolist()})
    for c in CATEGORICAL:
        inputs.append({"name": c, "shape": [len(df), 1], "datatype": "BYTES", "data": df[c].tolist()})
    if not binary_numbers:
        return json.dumps({"inputs": inputs}).encode(), {"Content-Type": "application/json"}
    head = json.dumps({"inputs": inputs}).encode()
    return head + b"".join(blobs), {"Content-Type": "application/octet-stream",
                                    "Inference-Header-Content-Length": str(len(head))}


def call(server, model, df, session=None, **kw):
    body, headers = raw_body(df, **kw)
    post = (session or requests).post
    return post(server.url + f"/v2/models/{model}/infer", data=body, headers={**headers, **server.auth_headers},
                timeout=60)


def output(r):
    assert r.status_code == 200, r.text
    return list(decode_response(r)[1].values())[0]


def test_attaching_checks_the_model_pins_the_pipeline_and_shows_in_the_version(server, prepared):
    r = server.put("/api/v1/models/xgb/versions/1/pipeline", json={"name": "prep", "version": 1})
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "prep" and r.json()["version"] == 1
    assert server.get("/api/v1/models/xgb/versions/1/pipeline").json()["name"] == "prep"
    assert server.get("/api/v1/models/xgb/versions/1").json()["lineage"]["pipeline"] == {"name": "prep", "version": 1}
    # Pinned: the pipeline cannot go while a model version is served with it.
    r = server.delete("/api/v1/pipelines/prep")
    assert r.status_code == 409 and "model 'xgb' version 1" in error_of(r)["message"], r.text
    # The model's input must take the pipeline's 11 columns.
    register(server, "narrow", _xgb_of_width(server, 5))
    r = server.put("/api/v1/models/narrow/versions/1/pipeline", json={"name": "prep"})
    assert r.status_code == 400 and "11 columns" in error_of(r)["message"], r.text
    r = server.put("/api/v1/models/narrow/versions/1/pipeline", json={"name": "prep", "version": 7})
    assert r.status_code == 404, r.text
    r = server.put("/api/v1/models/narrow/versions/1/pipeline", json={"name": "prep", "version": [1]})
    assert r.status_code == 400, r.text
    assert server.get("/api/v1/models/narrow/versions/1/pipeline").status_code == 404
    # Detaching removes it; attaching again restores it.
    assert server.delete("/api/v1/models/xgb/versions/1/pipeline").status_code == 204
    assert "pipeline" not in server.get("/api/v1/models/xgb/versions/1").json()["lineage"]
    assert server.put("/api/v1/models/xgb/versions/1/pipeline", json={"name": "prep", "version": 1}).status_code == 200


def _xgb_of_width(server, width):
    import tempfile
    import xgboost as xgb
    rng = np.random.default_rng(0)
    booster = xgb.train({"nthread": 1}, xgb.DMatrix(rng.normal(size=(20, width)), label=rng.normal(size=20)), 2)
    path = tempfile.mkdtemp() + "/narrow.json"
    booster.save_model(path)
    return path


def test_xgboost_served_with_its_pipeline_equals_transform_offline_then_predict(server, prepared):
    server.put("/api/v1/models/xgb/versions/1/pipeline", json={"name": "prep", "version": 1})
    load(server, "xgb")
    # Loaded: attaching or detaching now would change what its workers serve under them.
    r = server.delete("/api/v1/models/xgb/versions/1/pipeline")
    assert r.status_code == 409 and "unload it first" in error_of(r)["message"], r.text
    meta = server.get("/v2/models/xgb").json()
    assert [i["name"] for i in meta["inputs"]] == NUMERIC + CATEGORICAL
    fresh = prepared["fresh"]
    # One request with every row (NaNs travel in the binary extension), then one row at a time as JSON.
    np.testing.assert_array_equal(output(call(server, "xgb", fresh, binary_numbers=True)).reshape(-1), prepared["xgb"])
    for i in range(0, 64, 9):
        if fresh.iloc[i:i + 1].isna().any().any():
            continue
        got = output(call(server, "xgb", fresh.iloc[i:i + 1])).reshape(-1)
        assert got[0] == prepared["xgb"][i]


def test_torchscript_gets_exactly_the_offline_features_under_dynamic_batching(server, prepared):
    server.put("/api/v1/models/ts/versions/1/pipeline", json={"name": "prep", "version": 1})
    load(server, "ts", max_batch_size=16, max_queue_delay_us=20000)
    fresh = prepared["fresh"]

    def client(i):
        with requests.Session() as s:
            for _ in range(3):
                got = output(call(server, "ts", fresh.iloc[i:i + 1], session=s, binary_numbers=True))
                np.testing.assert_array_equal(got.reshape(-1), prepared["ts"][i])
        return True

    with ThreadPoolExecutor(32) as pool:
        assert all(pool.map(client, range(64)))
    stats = server.get("/v2/models/ts/stats").json()["model_stats"][0]
    assert max(b["batch_size"] for b in stats["batch_stats"]) > 1  # rows of several requests transformed together


@pytest.mark.parametrize("change, status, words", [
    (lambda b: [i for i in b if i["name"] != "plan"], 400, "missing input 'plan'"),
    (lambda b: b + [{"name": "extra", "shape": [1], "datatype": "FP64", "data": [1.0]}], 400, "unknown input 'extra'"),
    (lambda b: [dict(i, datatype="FP32") if i["name"] == "city" else i for i in b], 400, "'city'"),
    (lambda b: [dict(i, datatype="BYTES", data=["a"]) if i["name"] == "x2" else i for i in b], 400, "'x2'"),
    (lambda b: [dict(i, shape=[1, 2], data=[1.0, 2.0]) if i["name"] == "x3" else i for i in b], 400, "'x3'"),
])
def test_bad_raw_columns_are_400s_naming_the_column_and_the_worker_stays_up(server, prepared, change, status, words):
    if server.get("/v2/models/xgb/ready").status_code != 200:
        server.put("/api/v1/models/xgb/versions/1/pipeline", json={"name": "prep", "version": 1})
        load(server, "xgb")
    row = prepared["fresh"].iloc[1:2]
    body = json.loads(raw_body(row)[0])
    body["inputs"] = change(body["inputs"])
    r = server.post("/v2/models/xgb/infer", data=json.dumps(body), headers={"Content-Type": "application/json"})
    assert r.status_code == status and words in r.json()["error"], r.text
    assert output(call(server, "xgb", row))[0] == prepared["xgb"][1]


def test_infinity_is_refused_by_the_steps_naming_the_column(server, prepared):
    if server.get("/v2/models/xgb/ready").status_code != 200:
        server.put("/api/v1/models/xgb/versions/1/pipeline", json={"name": "prep", "version": 1})
        load(server, "xgb")
    row = prepared["fresh"].iloc[1:2].copy()
    row["x3"] = np.inf
    r = call(server, "xgb", row, binary_numbers=True)
    assert r.status_code == 400 and "'x3'" in r.json()["error"], r.text
    assert output(call(server, "xgb", prepared["fresh"].iloc[1:2]))[0] == prepared["xgb"][1]
