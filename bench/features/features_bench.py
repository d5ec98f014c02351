#!/usr/bin/env python3
"""Feature pipelines' bench (issue 13): fit + transform of a pipeline on generated rows, maas against pandas 1.5 +
scikit-learn 1.2 in one run, on the same data:

- a ColumnTransformer: StandardScaler over 20 numeric columns, OneHotEncoder(handle_unknown="ignore") over 5
  categorical columns (5, 10, 20, 50 and 100 values);
- three rolling windows per entity over a numeric column, the rows of each entity in time order: the mean of the
  last 7 rows, the standard deviation of the last 30, the maximum of the last 24.

scikit-learn/pandas: `ColumnTransformer(...).fit_transform(df)` with its defaults (a sparse result, as
sparse_threshold=0.3 chooses for this density) and `df.groupby(entity)[x].rolling(w).<stat>()` on the frame
sorted by (entity, time), all in memory. maas: through a real maasd's HTTP API as a user would, the dataset already
uploaded (loading is issue 12's bench, not timed on either side): `POST /api/v1/pipelines/{name}/fit` (a
`features.fit` job), `POST .../versions/1/transform` (a `features.transform` job that writes the features as a new
dataset version) and a `features.timeseries` job writing the three windows as another version — each timed from
its POST to the job's end. maas writes its results to Parquet versions; pandas keeps them in memory.

Before it reports, the bench checks that both sides computed the same numbers: the scaler's means and scales and
the encoder's categories (the fitted state against scikit-learn's to 1e-9), and the rolling features of sampled
entities against pandas'. Prints a table and writes bench/results/features-latest.json.

    /usr/bin/python3 bench/features/features_bench.py [--rows 10000000] [--entities 10000] [--work DIR]
"""
import argparse
import json
import os
import pathlib
import platform
import subprocess
import sys
import time

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.preprocessing import OneHotEncoder, StandardScaler

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = pathlib.Path(os.environ.get("MAAS_BIN_DIR", ROOT / "build" / "release" / "bin"))
NUMERIC = [f"x{i:02d}" for i in range(20)]
CATEGORICAL = {"c0": 5, "c1": 10, "c2": 20, "c3": 50, "c4": 100}
WINDOWS = [("x00_mean7", 7, "mean"), ("x00_std30", 30, "std"), ("x00_max24", 24, "max")]


def generate(path, rows, entities, seed=11):
    """A CSV: `entity` (e0…), `ts` (each entity's rows one minute apart, rows interleaved across entities),
    20 normal columns, 5 categorical ones; written in 1M-row blocks."""
    rng = np.random.RandomState(seed)
    first = True
    base = np.datetime64("2024-01-01T00:00:00")
    with open(path, "w") as f:
        for start in range(0, rows, 1_000_000):
            n = min(1_000_000, rows - start)
            row = np.arange(start, start + n)
            block = {"entity": np.char.add("e", (row % entities).astype(str)),
                     "ts": (base + (row // entities).astype("timedelta64[m]")).astype(str)}
            for i, name in enumerate(NUMERIC):
                block[name] = rng.normal(i, 1.0 + i / 10, n).round(6)
            for name, k in CATEGORICAL.items():
                block[name] = np.char.add(f"{name}_", rng.randint(0, k, n).astype(str))
            pd.DataFrame(block).to_csv(f, index=False, header=first)
            first = False


def spec():
    return {"transformers": [
        {"name": "num", "columns": NUMERIC, "steps": [{"step": "StandardScaler"}]},
        {"name": "cat", "columns": list(CATEGORICAL), "steps": [{"step": "OneHotEncoder", "handle_unknown": "ignore"}]}]}


def timeseries_spec():
    return {"entity": "entity", "time": "ts", "features": [
        {"name": name, "kind": "rolling", "column": "x00", "window": w, "statistic": stat} for name, w, stat in WINDOWS]}


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def bench_pandas(df):
    ct = ColumnTransformer([("num", StandardScaler(), NUMERIC),
                            ("cat", OneHotEncoder(handle_unknown="ignore"), list(CATEGORICAL))])
    features, fit_transform_s = timed(lambda: ct.fit_transform(df))

    def rolling():
        ordered = df.sort_values(["entity", "ts"], kind="stable")
        groups = ordered.groupby("entity", sort=False)["x00"]
        return {name: getattr(groups.rolling(w), stat)().reset_index(level=0, drop=True).sort_index()
                for name, w, stat in WINDOWS}

    windows, rolling_s = timed(rolling)
    return {"fit_transform_s": fit_transform_s, "rolling_s": rolling_s,
            "total_s": fit_transform_s + rolling_s, "output_shape": list(features.shape)}, ct, windows


def bench_maasd(csv, work):
    sys.path.insert(0, str(ROOT / "tests" / "integration"))
    os.environ.setdefault("MAAS_BIN_DIR", str(BIN))
    from conftest import Maasd  # noqa: E402 (the integration tests' launcher)
    from data_jobs import finished  # noqa: E402 (follows a 202's job to its end)
    data = work / "maasd-data"
    if data.exists():
        subprocess.run(["rm", "-rf", str(data)], check=True)
    server = Maasd(data, extra_args=["--datasets-memory-limit", "4GiB"]).start()
    try:
        def ok(r, status):
            if r.status_code != status:
                sys.exit(f"{r.request.method} {r.request.url}: {r.status_code} {r.text}")
            return r

        ok(server.post("/api/v1/datasets", json={"name": "raw"}), 201)
        with open(csv, "rb") as body:
            ok(server._request("POST", "/api/v1/datasets/raw/versions", 7200, params={"filename": csv.name},
                               data=body, headers={"Content-Type": "text/csv"}), 201)
        ok(server.post("/api/v1/pipelines", json={"name": "bench", "spec": spec()}), 201)
        _, fit_s = timed(lambda: finished(server, server.post("/api/v1/pipelines/bench/fit", json={"dataset": "raw"}),
                                          timeout_s=7200))
        _, transform_s = timed(lambda: finished(server, server.post(
            "/api/v1/pipelines/bench/versions/1/transform", json={"dataset": "raw", "into": "features"}),
            timeout_s=7200))

        def run_timeseries():
            r = ok(server.post("/api/v1/jobs", json={"kind": "features.timeseries", "params": {
                "dataset": "raw", "spec": timeseries_spec(), "into": "windows"}}), 201)
            job_id = r.json()["id"]
            from jobs_client import wait_for  # noqa: E402
            job = wait_for(lambda: (lambda j: j if j["state"] in ("succeeded", "failed", "cancelled") else None)(
                server.get(f"/api/v1/jobs/{job_id}").json()), 7200, f"job {job_id}")
            if job["state"] != "succeeded":
                sys.exit(f"features.timeseries: {job}")

        _, rolling_s = timed(run_timeseries)
        state = ok(server.get("/api/v1/pipelines/bench/versions/1", params={"state": "true"}), 200).json()
        features = ok(server.get("/api/v1/datasets/features/versions/latest"), 200).json()
        windows = ok(server.get("/api/v1/datasets/windows/versions/latest/download", params={"format": "csv"}), 200)
    finally:
        server.stop()
    (work / "windows.csv").write_bytes(windows.content)
    return {"fit_s": fit_s, "transform_s": transform_s, "rolling_s": rolling_s,
            "total_s": fit_s + transform_s + rolling_s,
            "output_columns": len(features["schema"])}, state["fitted_state"], work / "windows.csv"


def check(state, ct, maas_windows_csv, pandas_windows):
    """maas fitted and computed what scikit-learn and pandas did."""
    scaler = state["transformers"][0][0]
    sk_scaler = ct.named_transformers_["num"]
    center = np.asarray(scaler["center"], dtype=float)
    assert np.allclose(center, sk_scaler.mean_, rtol=1e-9, atol=1e-12), "means (center)"
    assert np.allclose(np.asarray(scaler["scale"], dtype=float), sk_scaler.scale_, rtol=1e-9, atol=1e-12), "scales"
    encoder = state["transformers"][1][0]
    sk_categories = [list(c) for c in ct.named_transformers_["cat"].categories_]
    assert [list(c["values"]) for c in encoder["categories"]] == sk_categories, "categories"
    ours = pd.read_csv(maas_windows_csv)
    for name, _, _ in WINDOWS:
        got, want = ours[name].to_numpy(dtype=float), pandas_windows[name].to_numpy(dtype=float)
        assert (np.isnan(got) == np.isnan(want)).all(), name
        both = ~np.isnan(want)
        assert np.allclose(got[both], want[both], rtol=1e-9, atol=1e-9), name


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--entities", type=int, default=10_000)
    ap.add_argument("--work", type=pathlib.Path, default=pathlib.Path("/tmp/maas-features-bench"))
    ap.add_argument("--keep-csv", action="store_true", help="reuse the generated CSV if it is there")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    csv = args.work / f"rows-{args.rows}-{args.entities}.csv"
    if not (args.keep_csv and csv.exists()):
        generate(csv, args.rows, args.entities)
    load_at_start = os.getloadavg()[0]
    maas, state, windows_csv = bench_maasd(csv, args.work)
    df = pd.read_csv(csv)
    pandas_r, ct, pandas_windows = bench_pandas(df)
    check(state, ct, windows_csv, pandas_windows)
    result = {"rows": args.rows, "entities": args.entities, "maasd": maas, "pandas_sklearn": pandas_r,
              "ratio": pandas_r["total_s"] / maas["total_s"],
              "load_average": {"start": load_at_start, "end": os.getloadavg()[0]},
              "machine": platform.processor() or platform.machine(), "cpus": os.cpu_count()}
    print(f"{'':34}{'fit + transform':>16}{'3 rolling windows':>19}{'total':>10}")
    print(f"{'pandas 1.5 + scikit-learn 1.2':34}{pandas_r['fit_transform_s']:>15.2f}s{pandas_r['rolling_s']:>18.2f}s"
          f"{pandas_r['total_s']:>9.2f}s")
    print(f"{'maasd (fit, transform, timeseries)':34}{maas['fit_s'] + maas['transform_s']:>15.2f}s"
          f"{maas['rolling_s']:>18.2f}s{maas['total_s']:>9.2f}s")
    print(f"ratio pandas / maasd: {result['ratio']:.2f}x   (fit {maas['fit_s']:.2f}s, transform "
          f"{maas['transform_s']:.2f}s; load average {load_at_start:.1f} -> {result['load_average']['end']:.1f})")
    out = ROOT / "bench" / "results" / "features-latest.json"
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
