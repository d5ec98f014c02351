#!/usr/bin/env python3
"""The data center's bench: maas's data engine (DuckDB, driven by maas-data) against pandas 1.5 on the same generated
CSV in one run — load (CSV -> a table: a Parquet snapshot for maas, a DataFrame for pandas) and profile (the same
statistics: counts, missing, distinct, min/max/mean/std, 7 quantiles, top 10 values, a 20-bin histogram, string
lengths). Prints a table and writes bench/results/data-latest.json. Cleaning and splits join when they exist.

    /usr/bin/python3 bench/data/data_bench.py [--rows 10000000] [--big-gb 1]

--big-gb N also imports and profiles an N GB CSV with a 512 MiB engine memory limit and reports peak RSS (the
issue's bounded-memory acceptance)."""
import argparse
import json
import os
import pathlib
import platform
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = pathlib.Path(os.environ.get("MAAS_BIN_DIR", ROOT / "build" / "release" / "bin"))
QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]


def generate(path, rows, seed=7):
    """A CSV of `rows` rows: ints, floats with 5% missing, a 50-value category, a date, a 100k-value id string,
    a 0/1 label; written in 1M-row blocks."""
    rng = np.random.RandomState(seed)
    categories = np.array([f"cat_{i:02d}" for i in range(50)])
    first = True
    with open(path, "w") as f:
        for start in range(0, rows, 1_000_000):
            n = min(1_000_000, rows - start)
            amount = rng.gamma(2.0, 50.0, n)
            amount[rng.rand(n) < 0.05] = np.nan
            block = pd.DataFrame({
                "id": np.arange(start, start + n),
                "amount": amount,
                "score": rng.normal(0.0, 1.0, n),
                "quantity": rng.randint(1, 100, n),
                "category": categories[rng.randint(0, 50, n)],
                "customer": np.char.add("c", rng.randint(0, 100_000, n).astype(str)),
                "day": pd.to_datetime("2024-01-01") + pd.to_timedelta(rng.randint(0, 365, n), unit="D"),
                "label": (rng.rand(n) < 0.2).astype(int),
            })
            block.to_csv(f, index=False, header=first, date_format="%Y-%m-%d")
            first = False


def pandas_profile(df):
    """The statistics maas's profile computes, with pandas' own calls."""
    out = {}
    for name in df.columns:
        s = df[name]
        p = {"count": int(s.count()), "missing": int(s.isna().sum()), "distinct": int(s.nunique())}
        top = s.value_counts().head(10)
        p["top"] = [(str(k), int(v)) for k, v in top.items()]
        if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
            v = s.dropna()
            p.update(min=float(v.min()), max=float(v.max()), mean=float(v.mean()), std=float(v.std(ddof=1)),
                     quantiles=v.quantile(QUANTILES).tolist())
            counts, _ = np.histogram(v.astype(float), bins=20)
            p["histogram"] = counts.tolist()
        elif s.dtype == object:
            lengths = s.dropna().str.len()
            p.update(min=s.dropna().min(), max=s.dropna().max(), min_length=int(lengths.min()),
                     max_length=int(lengths.max()), mean_length=float(lengths.mean()))
        out[name] = p
    return out


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def run_child(args):
    """Runs a command; returns (stdout, seconds, its peak RSS in bytes). Output goes through files so that the
    child can be reaped with wait4, which reports its own peak RSS."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(args, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            sys.exit(f"{' '.join(map(str, args))} failed: {err.read().decode()}")
        return out.read().decode(), seconds, usage.ru_maxrss * 1024


def bench_pandas(csv):
    df, load_s = timed(lambda: pd.read_csv(csv, parse_dates=["day"]))
    profile, profile_s = timed(lambda: pandas_profile(df))
    return {"load_s": load_s, "profile_s": profile_s, "total_s": load_s + profile_s}, profile


def bench_maas(csv, work, memory_limit="1GiB"):
    snapshot = work / "snapshot.parquet"
    common = [str(BIN / "maas-data"), "--memory-limit", memory_limit, "--temp-dir", str(work)]
    _, load_s, _ = run_child(common + ["import", str(csv), "--snapshot", str(snapshot)])
    out, profile_s, _ = run_child(common + ["profile", str(snapshot)])
    return {"load_s": load_s, "profile_s": profile_s, "total_s": load_s + profile_s}, json.loads(out)


def check_agreement(maas_profile, pandas_profile_out):
    """The two computed the same numbers (the bench compares equal work)."""
    columns = {c["name"]: c for c in maas_profile["columns"]}
    for name, p in pandas_profile_out.items():
        m = columns[name]
        assert m["count"] == p["count"] and m["missing"] == p["missing"], name
        assert m["distinct"] == p["distinct"], (name, m["distinct"], p["distinct"])
        if "mean" in p and isinstance(p["mean"], float) and "mean" in m:
            assert abs(m["mean"] - p["mean"]) <= 1e-9 * max(1.0, abs(p["mean"])), (name, m["mean"], p["mean"])


def bench_big(work, gigabytes):
    """An N GB CSV imported and profiled with a 512 MiB engine limit: time and the child's peak RSS."""
    csv = work / "big.csv"
    rows = int(gigabytes * 1e9 / 80)  # ~80 bytes a row
    if not csv.exists():
        generate(csv, rows, seed=11)
    size = csv.stat().st_size
    snapshot = work / "big.parquet"
    out, seconds, peak = run_child([str(BIN / "maas-data"), "--memory-limit", "512MiB", "--temp-dir", str(work),
                                    "import", str(csv), "--snapshot", str(snapshot), "--profile"])
    return {"csv_bytes": size, "rows": json.loads(out)["rows"], "seconds": seconds, "memory_limit": "512MiB",
            "peak_rss_bytes": peak, "snapshot_bytes": snapshot.stat().st_size}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--big-gb", type=float, default=0)
    parser.add_argument("--work", type=pathlib.Path, default=None, help="keep generated files here (reused)")
    args = parser.parse_args()
    work = args.work or pathlib.Path(tempfile.mkdtemp(prefix="maas-data-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    csv = work / f"data-{args.rows}.csv"
    if not csv.exists():
        print(f"generating {args.rows} rows ...", file=sys.stderr)
        generate(csv, args.rows)

    maas, maas_profile = bench_maas(csv, work)
    # Before pandas grows this process: a child's peak RSS counts what it shared with its parent when forked.
    big = bench_big(work, args.big_gb) if args.big_gb else None
    pandas, pandas_out = bench_pandas(csv)
    check_agreement(maas_profile, pandas_out)
    result = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "pandas": pd.__version__,
                    "load_average_at_end": os.getloadavg()},
        "rows": args.rows, "csv_bytes": csv.stat().st_size,
        "maas": maas, "pandas": pandas,
        "ratio": {k: pandas[k] / maas[k] for k in ("load_s", "profile_s", "total_s")},
    }
    if big:
        result["big"] = big
    print(f"{'':10} {'load s':>8} {'profile s':>10} {'total s':>8}")
    for name in ("pandas", "maas"):
        r = result[name]
        print(f"{name:10} {r['load_s']:8.2f} {r['profile_s']:10.2f} {r['total_s']:8.2f}")
    print(f"{'ratio':10} {result['ratio']['load_s']:7.2f}x {result['ratio']['profile_s']:9.2f}x "
          f"{result['ratio']['total_s']:7.2f}x")
    if "big" in result:
        b = result["big"]
        print(f"big: {b['csv_bytes'] / 1e9:.2f} GB, {b['rows']} rows in {b['seconds']:.1f} s, "
              f"peak RSS {b['peak_rss_bytes'] / 2**20:.0f} MiB with a {b['memory_limit']} engine limit")
    out = ROOT / "bench" / "results" / "data-latest.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
