#!/usr/bin/env python3
"""The online feature store's cost per request (docs/FEATURES.md#online-features): a real maasd, a view of 8 windowed
features (lag, diff, rolling mean/std over 24 rows, rolling max and count over 1h, ewm mean and std), 1,000 entities
with 100 rows each already in the store, then one-row observations (lookup + update + the row's features back) for
random entities, each paired on the same keep-alive connection with GET /api/v1/health (routing, auth, JSON, the
loopback round trip). "Added" is the observation's latency less the health call's, at p50 and p99; a batch of 1,000
rows per request gives the per-row cost without the HTTP round trip. Prints a table and writes
bench/results/online-features-latest.json.

    /usr/bin/python3 bench/features/online_bench.py [--requests 3000]"""
import argparse
import json
import os
import pathlib
import platform
import random
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = pathlib.Path(os.environ.get("MAAS_BIN_DIR", ROOT / "build" / "release" / "bin"))
ENTITIES = 1000
HISTORY = 100
VIEW = {"name": "bench", "entity": "k", "time": "ts", "features": [
    {"name": "lag1", "kind": "lag", "column": "y"},
    {"name": "diff1", "kind": "diff", "column": "y"},
    {"name": "mean24", "kind": "rolling", "column": "y", "window": 24, "statistic": "mean"},
    {"name": "std24", "kind": "rolling", "column": "y", "window": 24, "statistic": "std"},
    {"name": "max1h", "kind": "rolling", "column": "y", "window": "1h", "statistic": "max"},
    {"name": "count1h", "kind": "rolling", "column": "y", "window": "1h", "statistic": "count"},
    {"name": "ewm12", "kind": "ewm", "column": "y", "span": 12},
    {"name": "ewm12_std", "kind": "ewm", "column": "y", "span": 12, "statistic": "std"}]}


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "tests" / "integration"))
    os.environ.setdefault("MAAS_BIN_DIR", str(BIN))
    from conftest import Maasd  # noqa: E402 (the integration tests' launcher)
    import requests  # noqa: E402
    rng = random.Random(7)
    clock = {f"e{i}": 1_700_000_000_000_000 for i in range(ENTITIES)}

    def rows(entities):
        out = []
        for e in entities:
            clock[e] += rng.randint(1, 600) * 1_000_000
            out.append({"k": e, "ts": clock[e], "y": rng.gauss(100, 15)})
        return out

    with tempfile.TemporaryDirectory() as work:
        server = Maasd(pathlib.Path(work) / "data").start()
        try:
            session = requests.Session()
            session.headers["Authorization"] = f"Bearer {server.admin_key}"
            url = server.url
            assert session.post(f"{url}/api/v1/feature-views", json=VIEW).status_code == 201
            names = list(clock)
            for _ in range(HISTORY):
                r = session.post(f"{url}/api/v1/feature-views/bench/observations", json={"rows": rows(names)})
                assert r.status_code == 200, r.text
            batch_s = []
            for _ in range(20):
                body = {"rows": rows(names)}
                start = time.perf_counter()
                assert session.post(f"{url}/api/v1/feature-views/bench/observations", json=body).status_code == 200
                batch_s.append(time.perf_counter() - start)
            health, observe = [], []
            for _ in range(args.requests):
                body = {"rows": rows([rng.choice(names)])}
                start = time.perf_counter()
                assert session.get(f"{url}/api/v1/health").status_code == 200
                middle = time.perf_counter()
                assert session.post(f"{url}/api/v1/feature-views/bench/observations", json=body).status_code == 200
                end = time.perf_counter()
                health.append((middle - start) * 1e6)
                observe.append((end - middle) * 1e6)
            metrics = session.get(f"{url}/metrics").text
            memory = next(float(line.split()[1]) for line in metrics.splitlines()
                          if line.startswith("maas_online_features_memory_bytes "))
        finally:
            server.stop()
    result = {
        "entities": ENTITIES, "rows_per_entity_before": HISTORY, "features": len(VIEW["features"]),
        "requests": args.requests,
        "health_us": {"p50": percentile(health, 0.5), "p99": percentile(health, 0.99)},
        "observe_one_row_us": {"p50": percentile(observe, 0.5), "p99": percentile(observe, 0.99)},
        "added_us": {"p50": percentile(observe, 0.5) - percentile(health, 0.5),
                     "p99": percentile(observe, 0.99) - percentile(health, 0.99)},
        "batch_1000_rows_us_per_row": percentile(batch_s, 0.5) * 1e6 / ENTITIES,
        "memory_bytes_per_entity": memory / ENTITIES,
        "machine": {"cpus": os.cpu_count(), "load_average": os.getloadavg(), "platform": platform.platform()},
    }
    print(f"{'':28}{'p50 µs':>10}{'p99 µs':>10}")
    for key in ("health_us", "observe_one_row_us", "added_us"):
        print(f"{key:28}{result[key]['p50']:>10.1f}{result[key]['p99']:>10.1f}")
    print(f"batch of 1000 rows: {result['batch_1000_rows_us_per_row']:.2f} µs per row; "
          f"{result['memory_bytes_per_entity']:.0f} bytes per entity")
    out = ROOT / "bench" / "results" / "online-features-latest.json"
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
