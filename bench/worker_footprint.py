"""What one model worker costs, per framework: its resident memory (VmRSS, VmHWM and VmData from /proc/<pid>/status)
and the shared objects it maps, once it serves a small model, and how long a load takes (POST .../load, which is
the worker's start: spawn, exec, libraries, the model, READY and the warm-up), as the median of several unload/load
rounds. Run it against two builds on the same machine to compare them (docs/BENCHMARKS.md, "Worker footprint").

Usage: /usr/bin/python3 bench/worker_footprint.py BIN_DIR MODELS_DIR [--gguf FILE] [--rounds 7] [--output OUT.json]
(MODELS_DIR: what tests/fixtures/make_models.py writes; --gguf: a model maas-tiny-gguf writes.)
"""
import argparse
import json
import os
import pathlib
import secrets
import statistics
import subprocess
import sys
import tempfile
import time

import requests

MODELS = [("xgboost", "xgb_breast_cancer.json", {}), ("onnx", "mlp.onnx", {}), ("torchscript", "mlp.pt", {})]


def start_maasd(bin_dir, work):
    key = "maas_bench_" + secrets.token_hex(16)
    port_file = work / "addr"
    proc = subprocess.Popen([str(bin_dir / "maasd"), "--listen", "127.0.0.1:0", "--data-dir", str(work / "data"),
                             "--port-file", str(port_file), "--log-format", "json"],
                            stdout=open(work / "maasd.log", "wb"), stderr=subprocess.STDOUT,
                            env=dict(os.environ, MAAS_ADMIN_KEY=key))
    deadline = time.monotonic() + 60
    while not (port_file.exists() and port_file.read_text().strip()):
        if proc.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"maasd did not start: {(work / 'maasd.log').read_text()[-2000:]}")
        time.sleep(0.05)
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {key}"
    return proc, "http://" + port_file.read_text().strip(), session


def status_fields(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM", "VmData"):
                fields[name] = int(value.split()[0]) * 1024
    return fields


def shared_objects(pid):
    with open(f"/proc/{pid}/maps") as f:
        return sorted({line.split()[5] for line in f if len(line.split()) >= 6 and ".so" in line.split()[5]})


def worker_pid(url, session, name):
    r = session.get(f"{url}/v2/models/{name}/stats")
    if r.status_code == 200:
        return r.json()["model_stats"][0]["instances"][0]["pid"]
    # A build whose generative versions had no statistics: the worker is maasd's child started for this framework.
    for entry in os.listdir("/proc"):
        try:
            cmdline = open(f"/proc/{entry}/cmdline", "rb").read().split(b"\0")
        except (OSError, ValueError):
            continue
        if b"--framework" in cmdline and cmdline[cmdline.index(b"--framework") + 1].decode() == name:
            return int(entry)
    sys.exit(f"no worker found for {name}")


def measure(url, session, name, path, config, rounds):
    assert session.post(f"{url}/api/v1/models", json={"name": name}).status_code == 201
    r = session.post(f"{url}/api/v1/models/{name}/versions", data=open(path, "rb"),
                     headers={"Content-Type": "application/octet-stream"})
    assert r.status_code == 201, r.text
    body = {"parameters": {"config": config}} if config else {}
    loads = []
    for i in range(rounds):
        if i:
            assert session.post(f"{url}/v2/repository/models/{name}/unload", json={}).status_code == 200
            while any(e["name"] == name and e["state"] != "UNAVAILABLE"
                      for e in session.post(f"{url}/v2/repository/index").json()):
                time.sleep(0.02)
        started = time.monotonic()
        r = session.post(f"{url}/v2/repository/models/{name}/load", json=body)
        loads.append(time.monotonic() - started)
        assert r.status_code == 200, r.text
    pid = worker_pid(url, session, name)
    time.sleep(0.5)  # idle: what it holds while serving nothing
    libraries = shared_objects(pid)
    return {"load_seconds_median": statistics.median(loads), "load_seconds": loads, **status_fields(pid),
            "shared_objects": len(libraries), "maps_libtorch": any("libtorch" in s for s in libraries),
            "maps_opencv": any("libopencv" in s for s in libraries),
            "maps_xgboost": any("libxgboost" in s for s in libraries),
            "maps_llama": any("libllama" in s for s in libraries)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("bin_dir", type=pathlib.Path)
    parser.add_argument("models_dir", type=pathlib.Path)
    parser.add_argument("--gguf", type=pathlib.Path)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--output", type=pathlib.Path)
    args = parser.parse_args()
    work = pathlib.Path(tempfile.mkdtemp(prefix="maas-footprint-"))
    proc, url, session = start_maasd(args.bin_dir.resolve(), work)
    results = {"load_average": os.getloadavg(), "bin_dir": str(args.bin_dir)}
    try:
        models = [(f, args.models_dir / file, config) for f, file, config in MODELS]
        if args.gguf:
            models.append(("gguf", args.gguf, {"context": 256, "max_sequences": 2}))
        for framework, path, config in models:
            results[framework] = measure(url, session, framework, path, config, args.rounds)
            print(framework, json.dumps(results[framework]), file=sys.stderr)
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    text = json.dumps(results, indent=1)
    if args.output:
        args.output.write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
