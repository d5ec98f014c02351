#!/usr/bin/env python3
"""train.torch's throughput against python3-torch (issue 14's target: >= 1.0x, no overhead from maas): the same MLP
(64 -> 256 -> 256 -> 1, ReLU, BCE with logits), Adam, batch size, epochs and threads on the same generated rows.

- python3-torch: torch.nn layers, torch.optim.Adam, a shuffled index per epoch; samples/s of the training loop.
- maas: a real maasd, the rows uploaded as a dataset version, a train.torch job with cpu_slots = --threads; samples/s
  of the job's training loop (its result's train_seconds) and of the whole job (submission to success: process
  start, LibTorch load, DuckDB read, export, registration).

The ratio is maas's loop samples/s over python's. Both sides' final training loss is printed as a check that they
trained the same problem. Writes bench/results/torch-latest.json.

    /usr/bin/python3 bench/training/torch_bench.py [--rows 100000] [--epochs 3] [--threads 1] [--batch-size 256]"""
import argparse
import json
import os
import pathlib
import platform
import sys
import tempfile
import time

import numpy as np
import pandas as pd
import torch

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "integration"))
os.environ.setdefault("MAAS_BIN_DIR", str(ROOT / "build" / "release" / "bin"))
FEATURES, HIDDEN = 64, 256


def rows(n, seed=0):
    rng = np.random.RandomState(seed)
    x = rng.normal(size=(n, FEATURES))
    w = rng.normal(size=FEATURES)
    y = ((x @ w + np.sin(x[:, 0] * 3)) > 0).astype(np.int64)
    frame = pd.DataFrame(x, columns=[f"f{i}" for i in range(FEATURES)])
    frame["y"] = y
    return frame


def python_run(frame, args):
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(FEATURES, HIDDEN), torch.nn.ReLU(), torch.nn.Linear(HIDDEN, HIDDEN),
                              torch.nn.ReLU(), torch.nn.Linear(HIDDEN, 1))
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    x = torch.tensor(frame.drop(columns="y").to_numpy(), dtype=torch.float32)
    y = torch.tensor(frame["y"].to_numpy(), dtype=torch.float32).reshape(-1, 1)
    generator = torch.Generator().manual_seed(0)
    start = time.perf_counter()
    for _ in range(args.epochs):
        total = 0.0
        order = torch.randperm(len(x), generator=generator)
        for begin in range(0, len(x), args.batch_size):
            index = order[begin:begin + args.batch_size]
            optimizer.zero_grad()
            loss = loss_fn(net(x[index]), y[index])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(index)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "samples_per_s": len(x) * args.epochs / seconds, "last_epoch_loss": total / len(x)}


def maas_run(frame, args):
    from conftest import Maasd
    from jobs_client import submit, wait_state
    with tempfile.TemporaryDirectory() as d:
        server = Maasd(pathlib.Path(d) / "data", extra_args=["--jobs-slots", str(args.threads + 1)]).start()
        try:
            assert server.post("/api/v1/datasets", json={"name": "bench"}).status_code == 201
            r = server.post("/api/v1/datasets/bench/versions", params={"filename": "bench.csv"},
                            data=frame.to_csv(index=False).encode(), headers={"Content-Type": "text/csv"})
            assert r.status_code == 201, r.text
            body = {"model": "bench", "dataset": "bench", "label": "y", "loss": "bce_with_logits",
                    "network": {"layers": [{"type": "linear", "out": HIDDEN}, {"type": "relu"},
                                           {"type": "linear", "out": HIDDEN}, {"type": "relu"},
                                           {"type": "linear", "out": 1}]},
                    "optimizer": {"type": "adam", "lr": 1e-3}, "epochs": args.epochs,
                    "batch_size": args.batch_size, "checkpoint_every": 1000000}
            start = time.perf_counter()
            j = submit(server, "train.torch", body, cpu_slots=args.threads)
            done = wait_state(server, j["id"], {"succeeded", "failed"}, timeout_s=3600)
            job_seconds = time.perf_counter() - start
            assert done["state"] == "succeeded", done.get("error")
            result = done["result"]
            samples = result["train_rows"] * args.epochs
            return {"seconds": result["train_seconds"], "samples_per_s": samples / result["train_seconds"],
                    "job_seconds": job_seconds, "job_samples_per_s": samples / job_seconds,
                    "last_epoch_loss": done["progress"]["metrics"]["train_loss"], "threads": result["threads"]}
        finally:
            server.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100000)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=256)
    args = parser.parse_args()
    frame = rows(args.rows)
    python = python_run(frame, args)
    maas = maas_run(frame, args)
    ratio = maas["samples_per_s"] / python["samples_per_s"]
    print(f"{'':34}{'samples/s':>12}{'seconds':>10}{'last loss':>11}")
    print(f"{'python3-torch ' + torch.__version__:34}{python['samples_per_s']:12.0f}{python['seconds']:10.2f}"
          f"{python['last_epoch_loss']:11.4f}")
    print(f"{'maas train.torch (loop)':34}{maas['samples_per_s']:12.0f}{maas['seconds']:10.2f}"
          f"{maas['last_epoch_loss']:11.4f}")
    print(f"{'maas train.torch (whole job)':34}{maas['job_samples_per_s']:12.0f}{maas['job_seconds']:10.2f}")
    print(f"maas / python3-torch (loop): {ratio:.3f}x  target >= 1.0x: {'met' if ratio >= 1.0 else 'MISSED'}")
    out = {"rows": args.rows, "epochs": args.epochs, "threads": args.threads, "batch_size": args.batch_size,
           "python": python, "maas": maas, "ratio": ratio, "machine": platform.processor() or platform.machine(),
           "load_average": os.getloadavg()}
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "torch-latest.json").write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
