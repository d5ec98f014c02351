#!/usr/bin/env python3
"""gRPC vs HTTP for the same model (docs/GRPC.md, docs/BENCHMARKS.md "gRPC vs HTTP"): a real maasd with a gRPC port
serving the breast-cancer XGBoost fixture; for 1 row and for 1,000 rows per request, `--requests` sequential calls over
one keep-alive HTTP connection (the binary tensor extension, as a Triton HTTP client sends) and over one gRPC channel
(ModelInfer with raw_input_contents), interleaved in rounds of 100 so machine noise falls on both alike. Prints
requests/s and p50/p99 latency per transport and writes bench/results/grpc-latest.json.

    /usr/bin/python3 bench/grpc/grpc_bench.py [--requests 3000]"""
import argparse
import json
import os
import pathlib
import platform
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = pathlib.Path(os.environ.get("MAAS_BIN_DIR", ROOT / "build" / "release" / "bin"))
FIXTURES = pathlib.Path(os.environ.get("MAAS_FIXTURES_DIR", ROOT / "build" / "release" / "fixtures"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "tests" / "integration"))
    os.environ.setdefault("MAAS_BIN_DIR", str(BIN))
    import grpc  # noqa: E402
    import numpy as np  # noqa: E402
    import requests  # noqa: E402
    from conftest import Maasd  # noqa: E402 (the integration tests' launcher)
    from grpc_client import free_port, generate_stubs, infer_request  # noqa: E402
    from serving import load, register  # noqa: E402
    from v2_client import binary_request  # noqa: E402

    results = {"machine": platform.processor() or platform.machine(), "cpus": os.cpu_count(),
               "load_average_before": os.getloadavg()[0], "requests": args.requests, "cases": []}
    with tempfile.TemporaryDirectory() as work:
        pb, rpc = generate_stubs(pathlib.Path(work) / "stubs")
        port = free_port()
        server = Maasd(pathlib.Path(work) / "data", extra_args=["--grpc-port", str(port)]).start()
        try:
            register(server, "cancer", FIXTURES / "xgb_breast_cancer.json")
            load(server, "cancer")
            session = requests.Session()
            headers = {"Authorization": "Bearer " + server.admin_key}
            channel = grpc.insecure_channel(f"127.0.0.1:{port}")
            stub = rpc.GRPCInferenceServiceStub(channel)
            metadata = [("authorization", "Bearer " + server.admin_key)]
            for rows in (1, 1000):
                x = np.random.default_rng(rows).standard_normal((rows, 30)).astype(np.float32)
                body, h = binary_request({"input": x})
                h.update(headers)
                greq = infer_request(pb, "cancer", {"input": x})

                def call_http():
                    r = session.post(server.url + "/v2/models/cancer/infer", data=body, headers=h)
                    assert r.status_code == 200, r.text

                def call_grpc():
                    stub.ModelInfer(greq, metadata=metadata)

                for f in (call_http, call_grpc):  # warm up both paths
                    for _ in range(50):
                        f()
                lat = {"http": [], "grpc": []}
                spent = {"http": 0.0, "grpc": 0.0}
                for _ in range(max(1, args.requests // 100)):
                    for name, f in (("http", call_http), ("grpc", call_grpc)):
                        start = time.perf_counter()
                        for _ in range(100):
                            t = time.perf_counter()
                            f()
                            lat[name].append(time.perf_counter() - t)
                        spent[name] += time.perf_counter() - start
                case = {"rows": rows}
                for name in ("http", "grpc"):
                    case[name] = {"rps": len(lat[name]) / spent[name],
                                  "p50_ms": float(np.percentile(lat[name], 50)) * 1e3,
                                  "p99_ms": float(np.percentile(lat[name], 99)) * 1e3}
                results["cases"].append(case)
            channel.close()
        finally:
            server.stop()
    results["load_average_after"] = os.getloadavg()[0]
    print(f"{'rows':>6} {'transport':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for case in results["cases"]:
        for name in ("http", "grpc"):
            c = case[name]
            print(f"{case['rows']:>6} {name:>9} {c['rps']:>8.0f} {c['p50_ms']:>8.3f} {c['p99_ms']:>8.3f}")
    out = ROOT / "bench" / "results" / "grpc-latest.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
