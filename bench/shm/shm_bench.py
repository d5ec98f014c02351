#!/usr/bin/env python3
"""A 4 MB tensor through Triton's system shared memory extension vs the binary tensor extension
(docs/SHARED_MEMORY.md, docs/BENCHMARKS.md): a real maasd serving a TorchScript model that answers x * 2 for a
[1, 1048576] FP32 input (4 MiB in, 4 MiB out). The binary path sends the input in the body and gets the output in
the answer; the shared memory path puts the input in a registered region, asks for the output in the same region,
and reads it from there. One client thread per connection, keep-alive, --seconds per path after a warm-up;
prints requests per second and MiB/s of input per path and their ratio, and writes bench/results/shm-latest.json.

    MAAS_BIN_DIR=build/release/bin /usr/bin/python3 bench/shm/shm_bench.py [--seconds 10] [--clients 1]"""
import argparse
import json
import os
import pathlib
import platform
import sys
import tempfile
import threading
import time
from multiprocessing import shared_memory

import numpy as np
import requests

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = pathlib.Path(os.environ.get("MAAS_BIN_DIR", ROOT / "build" / "release" / "bin"))
sys.path.insert(0, str(ROOT / "bench"))
from worker_footprint import start_maasd  # noqa: E402
ELEMENTS = 1 << 20  # 4 MiB of FP32


def load_model(url, auth, work):
    import torch

    class Double(torch.nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return x * 2

    path = work / "double.pt"
    torch.jit.script(Double()).save(str(path))
    s = requests.Session()
    s.headers["Authorization"] = auth
    assert s.post(f"{url}/api/v1/models", json={"name": "double"}).status_code == 201
    with open(path, "rb") as f:
        r = s.post(f"{url}/api/v1/models/double/versions", data=f, headers={"Content-Type": "application/octet-stream"})
    assert r.status_code == 201, r.text
    r = s.post(f"{url}/v2/repository/models/double/load", json={"parameters": {"config": {"max_batch_size": 0}}})
    assert r.status_code == 200, r.text
    meta = s.get(f"{url}/v2/models/double").json()
    return meta["inputs"][0]["name"], meta["outputs"][0]["name"]


def binary_call(session, url, x, input_name, output_name):
    head = json.dumps({"inputs": [{"name": input_name, "datatype": "FP32", "shape": [1, ELEMENTS],
                                   "parameters": {"binary_data_size": x.nbytes}}],
                       "outputs": [{"name": output_name, "parameters": {"binary_data": True}}]}).encode()
    body = head + x.tobytes()

    def call():
        r = session.post(f"{url}/v2/models/double/infer", data=body,
                         headers={"Content-Type": "application/octet-stream",
                                  "Inference-Header-Content-Length": str(len(head))})
        assert r.status_code == 200, r.text
        length = int(r.headers["Inference-Header-Content-Length"])
        return np.frombuffer(r.content[length:], dtype=np.float32)
    return call


def shm_call(session, url, region, name, x, input_name, output_name):
    body = json.dumps({"inputs": [{"name": input_name, "datatype": "FP32", "shape": [1, ELEMENTS],
                                   "parameters": {"shared_memory_region": name, "shared_memory_byte_size": x.nbytes}}],
                       "outputs": [{"name": output_name,
                                    "parameters": {"shared_memory_region": name, "shared_memory_offset": x.nbytes,
                                                   "shared_memory_byte_size": x.nbytes}}]}).encode()
    view = np.ndarray((ELEMENTS,), dtype=np.float32, buffer=region.buf, offset=x.nbytes)

    def call():
        r = session.post(f"{url}/v2/models/double/infer", data=body, headers={"Content-Type": "application/json"})
        assert r.status_code == 200, r.text
        return view
    return call


def run(make_call, clients, seconds):
    """Requests per second over `seconds`, `clients` threads each with its own connection and call."""
    calls = [make_call(i) for i in range(clients)]
    for call in calls:
        call()  # warm-up
    counts = [0] * clients
    stop = time.monotonic() + seconds

    def loop(i):
        while time.monotonic() < stop:
            calls[i]()
            counts[i] += 1
    started = time.monotonic()
    threads = [threading.Thread(target=loop, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / (time.monotonic() - started)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=1)
    args = parser.parse_args()
    work = pathlib.Path(tempfile.mkdtemp(prefix="maas-shm-bench-"))
    proc, url, admin = start_maasd(BIN, work)
    auth = admin.headers["Authorization"]
    regions = []
    try:
        input_name, output_name = load_model(url, auth, work)
        x = np.random.default_rng(1).standard_normal(ELEMENTS).astype(np.float32)

        def session():
            s = requests.Session()
            s.headers["Authorization"] = auth
            return s

        def make_shm(i):
            region = shared_memory.SharedMemory(create=True, size=2 * x.nbytes, name=f"shmbench-{os.getpid()}-{i}")
            regions.append(region)
            region.buf[:x.nbytes] = x.tobytes()
            s = session()
            r = s.post(f"{url}/v2/systemsharedmemory/region/r{i}/register",
                       json={"key": "/" + region.name, "byte_size": 2 * x.nbytes})
            assert r.status_code == 200, r.text
            call = shm_call(s, url, region, f"r{i}", x, input_name, output_name)
            np.testing.assert_array_equal(call(), x * 2)
            return call

        def make_binary(i):
            call = binary_call(session(), url, x, input_name, output_name)
            np.testing.assert_array_equal(call(), x * 2)
            return call

        binary_rps = run(make_binary, args.clients, args.seconds)
        shm_rps = run(make_shm, args.clients, args.seconds)
        mib = x.nbytes / (1 << 20)
        result = {"tensor_bytes": x.nbytes, "clients": args.clients, "seconds": args.seconds,
                  "binary_rps": round(binary_rps, 1), "shm_rps": round(shm_rps, 1),
                  "binary_mib_s": round(binary_rps * mib, 1), "shm_mib_s": round(shm_rps * mib, 1),
                  "ratio": round(shm_rps / binary_rps, 2), "load_average": os.getloadavg()[0],
                  "machine": platform.processor() or platform.machine(), "cpus": os.cpu_count()}
        print(f"{'path':<22}{'req/s':>10}{'MiB/s in':>12}")
        print(f"{'binary extension':<22}{binary_rps:>10.1f}{binary_rps * mib:>12.1f}")
        print(f"{'shared memory':<22}{shm_rps:>10.1f}{shm_rps * mib:>12.1f}")
        print(f"ratio (shared memory / binary): {shm_rps / binary_rps:.2f}x")
        out = ROOT / "bench" / "results" / "shm-latest.json"
        out.parent.mkdir(exist_ok=True)
        out.write_text(json.dumps(result, indent=2) + "\n")
    finally:
        for region in regions:
            region.close()
            region.unlink()
        proc.terminate()
        proc.wait(timeout=60)


if __name__ == "__main__":
    main()
