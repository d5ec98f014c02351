#!/usr/bin/env python3
"""The data center's bench: maas's data engine (DuckDB) against pandas 1.5 / scikit-learn on the same generated CSV
in one run, end to end (issue 12's target: >= 5x):

- load (CSV -> a table: a Parquet snapshot for maas, a DataFrame for pandas) and profile (the same statistics:
  counts, missing, distinct, min/max/mean/std, 7 quantiles, top 10 values, a 20-bin histogram, string lengths);
- clean: deduplicate whole rows, impute `amount`'s missing values with its median, clip `amount` and `score` to
  [Q1 - 1.5 IQR, Q3 + 1.5 IQR] (RECIPE; pandas: the same calls, docs/DATA.md's equivalents);
- split: stratified by `label`, 80/10/10 (maas's split route; scikit-learn's train_test_split(stratify=) twice).

maas runs each phase twice: through `maas-data` (load and profile apart: where the time goes) and end to end through
a real maasd's HTTP API as a user would (upload = import + profile, then the clean and split routes, each making a
new version). The end-to-end ratio is pandas' load + profile + clean + split over maasd's three requests. The bench
checks that both sides computed the same numbers (profile counts and means, the imputed median, the clip bounds, the
rows per part) before it reports. Prints a table and writes bench/results/data-latest.json.

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
import requests
from sklearn.model_selection import train_test_split

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = pathlib.Path(os.environ.get("MAAS_BIN_DIR", ROOT / "build" / "release" / "bin"))
QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]
RECIPE = [{"step": "deduplicate"},
          {"step": "fill_missing", "column": "amount", "strategy": "median"},
          {"step": "clip", "column": "amount", "method": "iqr", "k": 1.5},
          {"step": "clip", "column": "score", "method": "iqr", "k": 1.5}]
FRACTIONS = {"train": 0.8, "validation": 0.1, "test": 0.1}
SEED = 1


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


def pandas_clean(df):
    """RECIPE with pandas' own calls; returns the frame and what each step computed."""
    df = df.drop_duplicates(keep="first")
    median = df["amount"].median()
    df["amount"] = df["amount"].fillna(median)
    bounds = {}
    for name in ("amount", "score"):
        q1, q3 = df[name].quantile([0.25, 0.75]).tolist()  # linear, as maas's
        lower, upper = q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)
        df[name] = df[name].clip(lower, upper)
        bounds[name] = (lower, upper)
    return df, {"rows": len(df), "median": median, "bounds": bounds}


def pandas_split(df):
    """80/10/10 stratified by label: scikit-learn's train_test_split, the usual way, twice."""
    train, rest = train_test_split(df, train_size=FRACTIONS["train"], stratify=df["label"], random_state=SEED)
    validation, test = train_test_split(rest, train_size=0.5, stratify=rest["label"], random_state=SEED)
    return {"train": len(train), "validation": len(validation), "test": len(test)}


def phases_total(r):
    r["total_s"] = sum(r[k] for k in ("load_s", "profile_s", "clean_s", "split_s") if k in r)
    return r


def bench_pandas(csv):
    df, load_s = timed(lambda: pd.read_csv(csv, parse_dates=["day"]))
    profile, profile_s = timed(lambda: pandas_profile(df))
    (df, cleaned), clean_s = timed(lambda: pandas_clean(df))
    parts, split_s = timed(lambda: pandas_split(df))
    r = phases_total({"load_s": load_s, "profile_s": profile_s, "clean_s": clean_s, "split_s": split_s})
    return r, profile, cleaned, parts


def bench_maasd(csv, work, memory_limit):
    """Upload (import + profile), clean and split through a real maasd's HTTP API, each timed around its request."""
    sys.path.insert(0, str(ROOT / "tests" / "integration"))
    os.environ.setdefault("MAAS_BIN_DIR", str(BIN))
    from conftest import Maasd  # noqa: E402 (the integration tests' launcher)
    from data_jobs import new_version  # noqa: E402 (follows a job to the version it recorded)
    data = work / "maasd-data"
    if data.exists():
        subprocess.run(["rm", "-rf", str(data)], check=True)
    server = Maasd(data, extra_args=["--datasets-memory-limit", memory_limit]).start()
    try:
        def post(path, **kw):
            r = server._request("POST", path, 7200, **kw)
            if r.status_code == 202:  # a data.clean or data.split job: its result names the new version
                return new_version(server, r, timeout_s=7200)
            if r.status_code != 201:
                sys.exit(f"POST {path}: {r.status_code} {r.text}")
            return r.json()
        post("/api/v1/datasets", json={"name": "bench"})
        with open(csv, "rb") as body:
            v1, upload_s = timed(lambda: post("/api/v1/datasets/bench/versions", params={"filename": csv.name},
                                              data=body, headers={"Content-Type": "text/csv"}))
        v2, clean_s = timed(lambda: post(f"/api/v1/datasets/bench/versions/{v1['version']}/clean",
                                         json={"steps": RECIPE}))
        v3, split_s = timed(lambda: post(f"/api/v1/datasets/bench/versions/{v2['version']}/split",
                                         json={"method": "stratified", "column": "label", "fractions": FRACTIONS,
                                               "seed": SEED}))
    finally:
        server.stop()
    r = phases_total({"upload_s": upload_s, "clean_s": clean_s, "split_s": split_s})
    r["total_s"] += upload_s
    return r, v1, v2, v3


def bench_maas(csv, work, memory_limit="1GiB"):
    snapshot = work / "snapshot.parquet"
    common = [str(BIN / "maas-data"), "--memory-limit", memory_limit, "--temp-dir", str(work)]
    _, load_s, _ = run_child(common + ["import", str(csv), "--snapshot", str(snapshot)])
    out, profile_s, _ = run_child(common + ["profile", str(snapshot)])
    return {"load_s": load_s, "profile_s": profile_s, "total_s": load_s + profile_s}, json.loads(out)


def check_prep(v2, v3, cleaned, parts):
    """maasd's clean and split computed what pandas and scikit-learn did."""
    steps = v2["lineage"]["details"]["clean"]["steps"]
    assert v2["row_count"] == cleaned["rows"], (v2["row_count"], cleaned["rows"])
    assert abs(steps[1]["value"] - cleaned["median"]) <= 1e-9 * abs(cleaned["median"]), (steps[1], cleaned)
    for step, name in ((steps[2], "amount"), (steps[3], "score")):
        for got, want in zip((step["lower"], step["upper"]), cleaned["bounds"][name]):
            assert abs(got - want) <= 1e-9 * max(1.0, abs(want)), (name, got, want)
    rows = v3["lineage"]["details"]["split"]["counts"]
    for part, n in parts.items():  # per class, maas floors and scikit-learn rounds: a row or two per class apart
        assert abs(rows[part] - n) <= 4, (part, rows[part], n)


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
    # Whole-row deduplication of 10M rows (a window over every column) fails under the 1 GiB default limit.
    parser.add_argument("--maasd-memory-limit", default="4GiB", help="maasd's datasets.memory_limit")
    parser.add_argument("--work", type=pathlib.Path, default=None, help="keep generated files here (reused)")
    args = parser.parse_args()
    load_at_start = os.getloadavg()
    work = args.work or pathlib.Path(tempfile.mkdtemp(prefix="maas-data-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    csv = work / f"data-{args.rows}.csv"
    if not csv.exists():
        print(f"generating {args.rows} rows ...", file=sys.stderr)
        generate(csv, args.rows)

    maas, maas_profile = bench_maas(csv, work)
    # Before pandas grows this process: a child's peak RSS counts what it shared with its parent when forked.
    big = bench_big(work, args.big_gb) if args.big_gb else None
    maasd, v1, v2, v3 = bench_maasd(csv, work, args.maasd_memory_limit)
    load_before_pandas = os.getloadavg()
    pandas, pandas_out, cleaned, parts = bench_pandas(csv)
    check_agreement(maas_profile, pandas_out)
    check_prep(v2, v3, cleaned, parts)
    assert v1["row_count"] == args.rows
    result = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "pandas": pd.__version__,
                    "load_average_at_start": load_at_start, "load_average_before_pandas": load_before_pandas,
                    "load_average_at_end": os.getloadavg()},
        "maasd_memory_limit": args.maasd_memory_limit, "rows": args.rows, "csv_bytes": csv.stat().st_size, "recipe": RECIPE, "fractions": FRACTIONS,
        "maas": maas, "maasd": maasd, "pandas": pandas,
        "ratio": {k: pandas[k] / maas[k] for k in ("load_s", "profile_s")},
        "ratio_end_to_end": {
            "load_and_profile": (pandas["load_s"] + pandas["profile_s"]) / maasd["upload_s"],
            "clean": pandas["clean_s"] / maasd["clean_s"], "split": pandas["split_s"] / maasd["split_s"],
            "total": pandas["total_s"] / maasd["total_s"]},
        "rows_out": {"clean": v2["row_count"], "split": v3["lineage"]["details"]["split"]["counts"]},
    }
    if big:
        result["big"] = big
    print(f"{'':8} {'load s':>8} {'profile s':>10} {'clean s':>8} {'split s':>8} {'total s':>8}")
    for name in ("pandas", "maas"):
        r = result[name]
        cells = [f"{r[k]:8.2f}" if k in r else f"{'':8}" for k in ("load_s", "clean_s", "split_s")]
        print(f"{name:8} {cells[0]} {r['profile_s']:10.2f} {cells[1]} {cells[2]} {r['total_s']:8.2f}")
    m = result["maasd"]
    print(f"{'maasd':8} {'upload (load + profile)':>19} {m['upload_s']:8.2f} {m['clean_s']:8.2f} {m['split_s']:8.2f} "
          f"{m['total_s']:8.2f}")
    e = result["ratio_end_to_end"]
    print(f"ratio pandas / maas-data: load {result['ratio']['load_s']:.2f}x, profile {result['ratio']['profile_s']:.2f}x")
    print(f"ratio pandas / maasd: load + profile {e['load_and_profile']:.2f}x, clean {e['clean']:.2f}x, "
          f"split {e['split']:.2f}x, total {e['total']:.2f}x")
    if "big" in result:
        b = result["big"]
        print(f"big: {b['csv_bytes'] / 1e9:.2f} GB, {b['rows']} rows in {b['seconds']:.1f} s, "
              f"peak RSS {b['peak_rss_bytes'] / 2**20:.0f} MiB with a {b['memory_limit']} engine limit")
    out = ROOT / "bench" / "results" / "data-latest.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
