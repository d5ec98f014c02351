#!/usr/bin/env python3
"""The job system under load (issue 14's targets; docs/BENCHMARKS.md, "Jobs"): one real maasd, two measurements.

1. Scheduling overhead per job, from the job's own records: `test.steps` jobs of one instant step, submitted one at
   a time (nothing queued, a slot always free). start = the executor's first log line (written by maas-job when the
   executor starts) minus created_at (the submission); end = finished_at minus the executor's last log line (its
   last step done: the result, the Done message and on_succeeded follow). Target <= 50 ms each; p50/p99 reported.
2. Serving latency idle vs under training load: one client calls a loaded XGBoost model with one row, one request at
   a time, first with nothing else running, then while train.xgboost jobs keep every job slot busy. Reports p50/p99
   of each and the ratio under load / idle (target p99 within 2x).

Writes bench/results/jobs-latest.json.

    /usr/bin/python3 bench/jobs/jobs_bench.py [--jobs 100] [--requests 2000] [--slots 2] [--reserved 1] [--nice N]"""
import argparse
import json
import os
import pathlib
import platform
import sys
import tempfile
import threading
import time
from datetime import datetime

import numpy as np
import pandas as pd
import requests

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "integration"))
os.environ.setdefault("MAAS_BIN_DIR", str(ROOT / "build" / "release" / "bin"))
from conftest import Maasd  # noqa: E402
from jobs_client import STEPS_PLUGIN  # noqa: E402


def ms(stamp):
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp() * 1000


def percentiles(values):
    values = np.asarray(values, dtype=np.float64)
    return {"p50": float(np.percentile(values, 50)), "p99": float(np.percentile(values, 99)),
            "max": float(values.max()), "n": int(len(values))}


def wait_done(server, job_id, timeout_s=600):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        j = server.get(f"/api/v1/jobs/{job_id}").json()
        if j["state"] in ("succeeded", "failed", "cancelled"):
            assert j["state"] == "succeeded", j
            return j
        time.sleep(0.01)
    raise TimeoutError(job_id)


def executor_lines(server, job_id):
    """The executor's log lines (those maas-job sent over the channel), waited for: they reach the log center on
    their own path."""
    deadline = time.monotonic() + 10
    while True:
        lines = server.get(f"/api/v1/jobs/{job_id}/logs").json()["lines"]
        mine = [line for line in lines if "starts at step" in line["line"] or "step 1 done" in line["line"]]
        if len(mine) == 2 or time.monotonic() > deadline:
            return mine
        time.sleep(0.05)


def scheduling_overhead(server, jobs):
    start, admit, spawn, end, total = [], [], [], [], []
    for _ in range(jobs):
        r = server.post("/api/v1/jobs", json={"kind": "test.steps", "params": {"steps": 1}})
        assert r.status_code == 201, r.text
        j = wait_done(server, r.json()["id"])
        lines = executor_lines(server, j["id"])
        assert len(lines) == 2, lines
        first, last = int(lines[0]["ts"]) / 1e6, int(lines[-1]["ts"]) / 1e6  # ns
        start.append(first - ms(j["created_at"]))
        admit.append(ms(j["started_at"]) - ms(j["created_at"]))
        spawn.append(first - ms(j["started_at"]))
        end.append(ms(j["finished_at"]) - last)
        total.append(ms(j["finished_at"]) - ms(j["created_at"]))
    return {"submit_to_executor_start_ms": percentiles(start), "of_which_submit_to_admitted_ms": percentiles(admit),
            "of_which_admitted_to_executor_start_ms": percentiles(spawn), "executor_end_to_done_ms": percentiles(end),
            "submit_to_done_ms": percentiles(total)}


def serving_model(server, workdir):
    import xgboost as xgb
    rng = np.random.RandomState(0)
    x = rng.normal(size=(2000, 30)).astype(np.float32)
    booster = xgb.train({"max_depth": 6, "nthread": 1}, xgb.DMatrix(x, label=x[:, 0] > 0), 100)
    booster.save_model(str(workdir / "served.json"))
    assert server.post("/api/v1/models", json={"name": "served"}).status_code == 201
    assert server.upload("served", workdir / "served.json").status_code == 201
    assert server.post("/v2/repository/models/served/load", json={}).status_code == 200
    return json.dumps({"inputs": [{"name": "input", "shape": [1, 30], "datatype": "FP32",
                                   "data": x[0].tolist()}]}).encode()


def latencies(server, body, n):
    out = []
    url = server.url + "/v2/models/served/infer"
    headers = {"Content-Type": "application/json", **server.auth_headers}
    with requests.Session() as session:
        for _ in range(n):
            t = time.perf_counter()
            r = session.post(url, data=body, headers=headers, timeout=30)
            out.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200, r.text
    return out


def training_load(server, stop, submitted):
    """Keeps every job slot busy with train.xgboost jobs until `stop` is set."""
    rng = np.random.RandomState(1)
    frame = pd.DataFrame(rng.normal(size=(20000, 20)), columns=[f"f{i}" for i in range(20)])
    frame["y"] = frame["f0"] * 2 + np.sin(frame["f1"] * 3) + rng.normal(scale=0.3, size=len(frame))
    server.post("/api/v1/datasets", json={"name": "load"})
    r = server.post("/api/v1/datasets/load/versions", params={"filename": "load.csv"},
                    data=frame.to_csv(index=False).encode(), headers={"Content-Type": "text/csv"})
    assert r.status_code == 201, r.text
    body = {"kind": "train.xgboost", "params": {"model": "load", "dataset": "load", "label": "y",
                                                "num_boost_round": 400,
                                                "params": {"objective": "reg:squarederror", "max_depth": 8,
                                                           "eta": 0.05}}}
    active = []
    while not stop.is_set():
        active = [j for j in active if server.get(f"/api/v1/jobs/{j}").json()["state"] in ("queued", "running")]
        while len(active) < 4:  # more than the slots: one is always waiting to start
            r = server.post("/api/v1/jobs", json=body)
            assert r.status_code == 201, r.text
            active.append(r.json()["id"])
            submitted.append(r.json()["id"])
        time.sleep(0.2)
    for j in active:
        server.post(f"/api/v1/jobs/{j}/cancel")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=100)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--slots", type=int, default=2, help="jobs.slots (serving's reserve included)")
    ap.add_argument("--reserved", type=int, default=1, help="jobs.serving_reserved_slots")
    ap.add_argument("--nice", type=int, default=None, help="jobs.nice (default: maasd's default, 10)")
    ap.add_argument("--out", default="jobs-latest.json", help="the file written under bench/results/")
    args = ap.parse_args()
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="jobs-bench-"))
    server = Maasd(workdir / "data", extra_args=["--jobs-plugins", str(STEPS_PLUGIN), "--jobs-slots", str(args.slots),
                                                 "--jobs-serving-reserved-slots", str(args.reserved)]
                    + (["--jobs-nice", str(args.nice)] if args.nice is not None else [])).start()
    try:
        overhead = scheduling_overhead(server, args.jobs)
        print("scheduling overhead (ms):", json.dumps(overhead))
        body = serving_model(server, workdir)
        latencies(server, body, 200)  # warm
        idle = latencies(server, body, args.requests)
        stop, submitted = threading.Event(), []
        loader = threading.Thread(target=training_load, args=(server, stop, submitted))
        loader.start()
        deadline = time.monotonic() + 60
        while not any(server.get(f"/api/v1/jobs/{j}").json()["state"] == "running" for j in list(submitted)):
            assert time.monotonic() < deadline and loader.is_alive(), "the training load did not start"
            time.sleep(0.1)
        time.sleep(1.0)  # past the job process's start
        loaded = latencies(server, body, args.requests)
        # A load thread that died (a failed submission) would have left the "loaded" run unloaded.
        assert loader.is_alive(), "the training load stopped during the measurement"
        stop.set()
        loader.join()
        idle_p, loaded_p = percentiles(idle), percentiles(loaded)
        result = {
            "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
            "slots": args.slots, "serving_reserved_slots": args.reserved, "jobs_nice": args.nice,
            "scheduling_overhead_ms": overhead,
            "serving_idle_ms": idle_p, "serving_under_training_ms": loaded_p,
            "ratio_p50": loaded_p["p50"] / idle_p["p50"], "ratio_p99": loaded_p["p99"] / idle_p["p99"],
            "training_jobs_submitted": len(submitted),
        }
        print(json.dumps(result, indent=1))
        out = ROOT / "bench" / "results" / args.out
        out.write_text(json.dumps(result, indent=1) + "\n")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
