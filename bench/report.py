"""Turns the measurements bench/run.sh collected into a table on stdout and one JSON file.

Usage: /usr/bin/python3 bench/report.py RESULTS_DIR OUTPUT.json [--setting key=value ...]
"""
import argparse
import datetime
import json
import os
import pathlib
import platform
import subprocess

# (result name, what it is), in table order.
ROWS = [
    ("nginx_static", "nginx, static file (same response body)"),
    ("maasd_xgb", "maasd XGBoost (default batching)"),
    ("maasd_xgb_unbatched", "maasd XGBoost (batching off)"),
    ("maasd_xgb_gateway", "maasd XGBoost through a service (gateway)"),
    ("fastapi_xgb", "FastAPI + uvicorn + xgboost"),
    ("inprocess_xgb", "in-process XGBoosterPredictFromDense"),
    ("maasd_mlp_unbatched", "maasd MLP ONNX, batching off"),
    ("maasd_mlp_batched", "maasd MLP ONNX, batching 32 / 2 ms"),
]

# (name, numerator, denominator, target or None, what it says)
RATIOS = [
    ("maasd_vs_nginx_static", "maasd_xgb", "nginx_static", 0.5, "maasd XGBoost / nginx static file"),
    ("maasd_vs_fastapi", "maasd_xgb", "fastapi_xgb", 20.0, "maasd XGBoost / FastAPI + xgboost"),
    ("maasd_vs_inprocess", "maasd_xgb", "inprocess_xgb", None, "maasd XGBoost / in-process call"),
    ("maasd_unbatched_vs_nginx_static", "maasd_xgb_unbatched", "nginx_static", None,
     "maasd XGBoost, batching off / nginx static file"),
    ("maasd_unbatched_vs_fastapi", "maasd_xgb_unbatched", "fastapi_xgb", None,
     "maasd XGBoost, batching off / FastAPI + xgboost"),
    ("gateway_vs_direct", "maasd_xgb_gateway", "maasd_xgb", 0.9,
     "maasd through a service / the same model called directly"),
    ("batching_on_vs_off", "maasd_mlp_batched", "maasd_mlp_unbatched", 3.0, "maasd MLP, batching on / off"),
]


def command_output(*argv):
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return (done.stdout + done.stderr).strip() or None


def python_versions():
    out = command_output("/usr/bin/python3", "-c",
                         "import fastapi, uvicorn, xgboost, pydantic; "
                         "print(fastapi.__version__, uvicorn.__version__, xgboost.__version__, pydantic.VERSION)")
    names = ["fastapi", "uvicorn", "xgboost_python", "pydantic"]
    return dict(zip(names, out.split())) if out else {}


def machine():
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
                 platform.processor())
    return {"cpus": os.cpu_count(), "cpu_model": model, "kernel": platform.release(),
            "memory_bytes": os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")}


def versions(root):
    commit = command_output("git", "-C", str(root), "rev-parse", "--short", "HEAD")
    dirty = command_output("git", "-C", str(root), "status", "--porcelain", "--untracked-files=no")
    return {"maas_commit": (commit or "?") + ("+local changes" if dirty else ""),
            "nginx": command_output("nginx", "-v"),
            "wrk": (command_output("wrk", "--version") or "").splitlines()[0],
            **python_versions()}


def batch_sizes(stats):
    out = {}
    for m in stats.get("model_stats", []):
        inferences, executions = m["inference_count"], m["execution_count"]
        out[m["name"]] = {"inferences": inferences, "executions": executions,
                          "mean_batch_size": round(inferences / executions, 2) if executions else None,
                          "failures": m["inference_stats"]["fail"]["count"],
                          "worker_restarts": m["worker_restarts"]}
    return out


def parse_setting(text):
    key, value = text.split("=", 1)
    for kind in (int, float):
        try:
            return key, kind(value)
        except ValueError:
            pass
    return key, value


def fmt_us(us):
    return f"{us / 1000:.2f} ms" if us >= 1000 else f"{us:.0f} us" if us >= 10 else f"{us:.1f} us"


def gateway_latency(results_dir):
    """The paired one-connection rounds: p50 of the direct and the service path per round, and their difference."""
    rounds = []
    for direct_path in sorted(results_dir.glob("latency_direct_*.json")):
        n = direct_path.stem.rsplit("_", 1)[1]
        gateway_path = results_dir / f"latency_gateway_{n}.json"
        if not gateway_path.exists():
            continue
        direct, gateway = json.load(open(direct_path)), json.load(open(gateway_path))
        rounds.append({"round": int(n), "direct_p50_us": direct["latency_us"]["p50"],
                       "gateway_p50_us": gateway["latency_us"]["p50"],
                       "direct_rps": round(direct["rps"]), "gateway_rps": round(gateway["rps"]),
                       "added_p50_us": gateway["latency_us"]["p50"] - direct["latency_us"]["p50"],
                       "others_cores": round((direct.get("other_cpu_s", 0) + gateway.get("other_cpu_s", 0)) /
                                             max(1e-9, direct["seconds"] + gateway["seconds"]), 2)})
    if not rounds:
        return None
    added = sorted(r["added_p50_us"] for r in rounds)
    median = added[len(added) // 2] if len(added) % 2 else (added[len(added) // 2 - 1] + added[len(added) // 2]) / 2
    return {"connections": 1, "rounds": sorted(rounds, key=lambda r: r["round"]), "added_p50_us_median": median,
            "target_us": 50, "met": median <= 50}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("results", type=pathlib.Path)
    parser.add_argument("output", type=pathlib.Path)
    parser.add_argument("--setting", nargs="*", default=[])
    args = parser.parse_args()
    root = pathlib.Path(__file__).resolve().parents[1]

    results = {}
    for name, label in ROWS:
        path = args.results / f"{name}.json"
        if path.exists():
            results[name] = dict(json.load(open(path)), label=label)
            r = results[name]
            if r.get("requests") and "bytes" in r:
                r["bytes_per_response"] = round(r["bytes"] / r["requests"])
            if r.get("requests") and r.get("server_cpu_s"):
                r["server_cpu_us_per_request"] = round(r["server_cpu_s"] / r["requests"] * 1e6, 1)
                r["requests_per_server_cpu_s"] = round(r["requests"] / r["server_cpu_s"])

    ratios = {}
    for name, num, den, target, label in RATIOS:
        if num in results and den in results and results[den]["rps"] > 0:
            value = results[num]["rps"] / results[den]["rps"]
            ratios[name] = {"value": round(value, 3), "of": [num, den], "label": label, "target": target,
                            "met": None if target is None else value >= target}
            # The same ratio per CPU second the servers used: less sensitive to what else ran on the machine.
            per_cpu = [results[n].get("requests_per_server_cpu_s") for n in (num, den)]
            if all(per_cpu):
                ratios[name]["per_server_cpu"] = round(per_cpu[0] / per_cpu[1], 3)

    stats_path = args.results / "maasd_stats.json"
    problems_path = args.results / "maasd_problems.log"
    maasd = {
        "models": batch_sizes(json.load(open(stats_path))) if stats_path.exists() else {},
        "peak_rss_bytes": int((args.results / "maasd_peak_rss_bytes").read_text() or 0)
        if (args.results / "maasd_peak_rss_bytes").exists() else None,
        "access_log_lines": int((args.results / "maasd_access_lines").read_text() or 0)
        if (args.results / "maasd_access_lines").exists() else None,
        "warnings_and_errors": problems_path.read_text().splitlines() if problems_path.exists() else [],
    }

    report = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "command": "bash bench/run.sh",
        "machine": machine(),
        "versions": versions(root),
        "settings": dict(parse_setting(s) for s in args.setting),
        "results": results,
        "ratios": ratios,
        "maasd": maasd,
        "gateway_latency": gateway_latency(args.results),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")

    print(f"\n{report['machine']['cpus']} CPUs ({report['machine']['cpu_model']}), load average "
          f"{report['settings'].get('load_before', '?')} before, {report['settings'].get('load_after', '?')} after")
    print(f"{'what':<42} {'conns':>5} {'req/s':>8} {'p50':>9} {'p99':>9} {'p99.9':>9} {'errors':>6} "
          f"{'srv CPU/req':>11} {'srv CPU':>7} {'wrk CPU':>7} {'others':>6}")
    for name, r in results.items():
        errors = sum(r.get("errors", {}).values())
        lat = r["latency_us"]
        cpu = r.get("server_cpu_us_per_request")
        server_share = f"{r['server_cpu_s'] / r['seconds']:.2f}" if "server_cpu_s" in r else "-"
        wrk_share = f"{r['wrk_cpu_s'] / r['seconds']:.2f}" if "wrk_cpu_s" in r else "-"
        other_share = f"{r['other_cpu_s'] / r['seconds']:.2f}" if "other_cpu_s" in r else "-"
        print(f"{r['label']:<42} {r.get('connections', 1):>5} {r['rps']:>8.0f} {fmt_us(lat['p50']):>9} "
              f"{fmt_us(lat['p99']):>9} {fmt_us(lat['p999']):>9} {errors:>6} "
              f"{(fmt_us(cpu) if cpu else '-'):>11} {server_share:>7} {wrk_share:>7} {other_share:>6}")
    print("srv CPU/req: CPU time the server's processes used per request. srv CPU, wrk CPU, others: cores busy on\n"
          "average with the server, with wrk, and with anything else on the machine (other users).\n")
    for name, r in ratios.items():
        target = "" if r["target"] is None else f"  target >= {r['target']:g}x: {'met' if r['met'] else 'MISSED'}"
        per_cpu = f"  (per server CPU second: {r['per_server_cpu']:.3f}x)" if "per_server_cpu" in r else ""
        print(f"{r['label']:<50} {r['value']:>7.3f}x{target}{per_cpu}")
    if "maasd_xgb_gateway" in results and "maasd_xgb" in results:
        added = results["maasd_xgb_gateway"]["latency_us"]["p50"] - results["maasd_xgb"]["latency_us"]["p50"]
        print(f"{'the gateway adds at p50, ' + str(results['maasd_xgb']['connections']) + ' connections':<50} "
              f"{added:>7.0f} us  (queueing included)")
    latency = report["gateway_latency"]
    if latency:
        for r in latency["rounds"]:
            print(f"  round {r['round']}: 1 connection, direct p50 {r['direct_p50_us']} us, through the service "
                  f"{r['gateway_p50_us']} us: {r['added_p50_us']:+d} us (others busy: {r['others_cores']} cores)")
        print(f"{'the gateway adds at p50, 1 connection (median)':<50} {latency['added_p50_us_median']:>7.0f} us  "
              f"target <= 50 us: {'met' if latency['met'] else 'MISSED'}")
    for model, s in maasd["models"].items():
        print(f"maasd {model}: mean batch size {s['mean_batch_size']}, {s['failures']} failed, "
              f"{s['worker_restarts']} worker restarts")
    if maasd["warnings_and_errors"]:
        print(f"maasd logged {len(maasd['warnings_and_errors'])} warnings/errors (see {args.output})")
    print(f"\nwrote {args.output}")


if __name__ == "__main__":
    main()
