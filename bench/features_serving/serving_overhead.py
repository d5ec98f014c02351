#!/usr/bin/python3
"""The serving overhead of a feature pipeline per request (docs/BENCHMARKS.md, issue 13): one maasd serves the same
XGBoost model twice — `raw` with a fitted pipeline attached (20 numeric columns standard-scaled, 5 categorical
columns one-hot encoded), called with the 25 raw columns; `pre`, called with the already transformed row — and
one client calls them alternately, one request at a time. Reports p50/p90 of the client's latency and of the
worker's compute time (Server-Timing), and their difference: what the pipeline adds.

  MAAS_BIN_DIR=build/release/bin /usr/bin/python3 bench/features_serving/serving_overhead.py [--requests 3000]
"""
import argparse
import json
import pathlib
import sys
import tempfile
import time

import numpy as np
import pandas as pd
import requests

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "integration"))
from conftest import Maasd  # noqa: E402

NUMERIC = [f"x{i}" for i in range(20)]
TEXT = [f"c{i}" for i in range(5)]


def wait_job(server, r):
    assert r.status_code == 202, r.text
    job = r.json()["id"]
    while True:
        state = server.get(f"/api/v1/jobs/{job}").json()
        if state["state"] in ("succeeded", "failed", "cancelled"):
            assert state["state"] == "succeeded", state
            return
        time.sleep(0.1)


def frame(rows, seed):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({c: rng.normal(i, 1 + i, rows) for i, c in enumerate(NUMERIC)})
    for c in TEXT:
        df[c] = rng.choice([f"v{k}" for k in range(8)], rows)
    return df


def prepare(server, workdir):
    import xgboost as xgb
    df = frame(2000, 1)
    server.post("/api/v1/datasets", json={"name": "raw"})
    r = server.post("/api/v1/datasets/raw/versions", params={"filename": "raw.csv"},
                    data=df.to_csv(index=False, float_format="%.17g").encode(), headers={"Content-Type": "text/csv"})
    assert r.status_code == 201, r.text
    spec = {"transformers": [{"name": "num", "columns": NUMERIC, "steps": [{"step": "StandardScaler"}]},
                             {"name": "cat", "columns": TEXT,
                              "steps": [{"step": "OneHotEncoder", "handle_unknown": "ignore"}]}]}
    assert server.post("/api/v1/pipelines", json={"name": "prep", "spec": spec}).status_code == 201
    wait_job(server, server.post("/api/v1/pipelines/prep/fit", json={"dataset": "raw"}))
    wait_job(server, server.post("/api/v1/pipelines/prep/versions/1/transform",
                                 json={"dataset": "raw", "into": "features"}))
    text = server.get("/api/v1/datasets/features/versions/1/download", params={"format": "jsonl"}).text
    columns = server.get("/api/v1/pipelines/prep/versions/1").json()["output_columns"]
    x = np.array([[json.loads(line)[c] for c in columns] for line in text.splitlines() if line], dtype=np.float32)
    y = x[:, 0] * 2 + x[:, 25] + np.random.default_rng(2).normal(0, 0.1, len(x))
    booster = xgb.train({"max_depth": 6, "nthread": 1}, xgb.DMatrix(x, label=y), 100)
    path = workdir / "model.json"
    booster.save_model(str(path))
    for name in ("raw", "pre"):
        assert server.post("/api/v1/models", json={"name": name}).status_code == 201
        with open(path, "rb") as f:
            r = server.post(f"/api/v1/models/{name}/versions", data=f,
                            headers={"Content-Type": "application/octet-stream"})
        assert r.status_code == 201, r.text
    r = server.put("/api/v1/models/raw/versions/1/pipeline", json={"name": "prep", "version": 1})
    assert r.status_code == 200, r.text
    for name in ("raw", "pre"):
        assert server.post(f"/v2/repository/models/{name}/load", json={}).status_code == 200
    return df, x


def bodies(df, x, i):
    row = df.iloc[i]
    raw = {"inputs": [{"name": c, "shape": [1], "datatype": "FP64", "data": [float(row[c])]} for c in NUMERIC] +
                     [{"name": c, "shape": [1], "datatype": "BYTES", "data": [row[c]]} for c in TEXT]}
    pre = {"inputs": [{"name": "input", "shape": [1, x.shape[1]], "datatype": "FP32", "data": x[i].tolist()}]}
    return json.dumps(raw).encode(), json.dumps(pre).encode()


def compute_ms(response):
    for part in response.headers["Server-Timing"].split(","):
        name, _, value = part.strip().partition(";dur=")
        if name == "compute":
            return float(value)
    raise ValueError("no compute in Server-Timing")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    args = parser.parse_args()
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="maas-serving-bench-"))
    server = Maasd(workdir / "data").start()
    try:
        df, x = prepare(server, workdir)
        headers = {"Content-Type": "application/json", "Authorization": "Bearer " + server.admin_key}
        latency = {"raw": [], "pre": []}
        compute = {"raw": [], "pre": []}
        with requests.Session() as s:
            for i in range(200 + args.requests):
                raw, pre = bodies(df, x, i % len(df))
                outputs = {}
                for name, body in (("raw", raw), ("pre", pre)) if i % 2 else (("pre", pre), ("raw", raw)):
                    start = time.perf_counter()
                    r = s.post(f"{server.url}/v2/models/{name}/infer", data=body, headers=headers, timeout=60)
                    elapsed = time.perf_counter() - start
                    assert r.status_code == 200, r.text
                    outputs[name] = r.json()["outputs"][0]["data"]
                    if i >= 200:  # warm-up excluded
                        latency[name].append(elapsed * 1e6)
                        compute[name].append(compute_ms(r) * 1e3)
                assert outputs["raw"] == outputs["pre"], (i, outputs)
        print(f"{args.requests} requests each, one at a time, alternating (µs):")
        for label, data in (("client latency", latency), ("worker compute", compute)):
            p50 = {k: float(np.percentile(v, 50)) for k, v in data.items()}
            p90 = {k: float(np.percentile(v, 90)) for k, v in data.items()}
            print(f"  {label:15s} p50 raw {p50['raw']:8.1f}  pre {p50['pre']:8.1f}  added {p50['raw'] - p50['pre']:7.1f}"
                  f"   p90 raw {p90['raw']:8.1f}  pre {p90['pre']:8.1f}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
