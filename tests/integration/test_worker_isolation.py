"""A worker killed with SIGKILL while 8 clients load two models: the other model answers every request, the
killed one recovers by itself, and no request hangs."""
import os
import signal
import threading
import time

import numpy as np
import requests

from v2_client import json_request


def test_sigkill_of_a_worker_under_load(maasd, models_dir):
    for name, path in [("a", "xgb_breast_cancer.json"), ("b", "xgb_iris.json")]:
        assert maasd.post("/api/v1/models", json={"name": name}).status_code == 201
        assert maasd.upload(name, models_dir / path).status_code == 201
        assert maasd.post(f"/v2/repository/models/{name}/load", json={}).status_code == 200
    bodies = {"a": json_request({"input": np.zeros((1, 30), np.float32)}),
              "b": json_request({"input": np.zeros((1, 4), np.float32)})}
    results = {"a": [], "b": []}
    stop = threading.Event()

    def client(name):
        body, headers = bodies[name]
        with requests.Session() as s:
            while not stop.is_set():
                r = s.post(maasd.url + f"/v2/models/{name}/infer", data=body, headers={**headers, **maasd.auth_headers},
                           timeout=30)
                results[name].append(r.status_code)

    threads = [threading.Thread(target=client, args=(n,)) for n in ["a", "b"] * 4]
    for t in threads:
        t.start()
    try:
        while len(results["a"]) < 50:
            time.sleep(0.01)
        stats = maasd.get("/v2/models/a/ready").json()
        assert stats["ready"]
        pid = next(int(p) for p in os.listdir("/proc") if p.isdigit() and _is_worker_of(int(p), maasd, "a"))
        os.kill(pid, signal.SIGKILL)
        # a recovers by itself: wait until it answers 200 again after its failures.
        deadline = time.monotonic() + 60
        while True:
            assert time.monotonic() < deadline, "model a did not recover"
            tail = results["a"][-5:]
            if 503 in results["a"] and len(tail) == 5 and all(c == 200 for c in tail):
                break
            time.sleep(0.05)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a request hung"
    assert set(results["b"]) == {200}, "the other model must answer every request"
    assert set(results["a"]) <= {200, 503}
    restarts = maasd.get("/v2/models/a/stats").json()["model_stats"][0]["worker_restarts"]
    assert restarts >= 1


def _is_worker_of(pid, maasd, model):
    """True when pid is a maas-worker child of this maasd serving `model`'s artifact."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        cmdline = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")
    except OSError:
        return False
    if ppid != maasd.proc.pid or not cmdline or not cmdline[0].endswith(b"maas-worker"):
        return False
    digest = maasd.get(f"/api/v1/models/{model}/versions/1").json()["digest"].split(":")[1]
    return digest.encode() in b" ".join(cmdline)


def test_a_hung_worker_is_killed_and_restarted(maasd, tmp_path):
    import torch

    class Hang(torch.nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            # Spins for hours on any input: a model that hangs.
            for _ in range(1_000_000_000_000):
                x = x + 0
            return x

    path = tmp_path / "hang.pt"
    torch.jit.script(Hang()).save(str(path))
    assert maasd.post("/api/v1/models", json={"name": "hang"}).status_code == 201
    assert maasd.upload("hang", path).status_code == 201
    r = maasd.post("/v2/repository/models/hang/load",
                   json={"parameters": {"config": {"execution_timeout_ms": 1000, "warmup": False}}})
    assert r.status_code == 200, r.text
    body, headers = json_request({"x": np.zeros((1, 2), np.float32)})
    r = maasd.post("/v2/models/hang/infer", data=body, headers=headers)
    assert r.status_code == 503, r.text
    assert "hung" in r.json()["error"] and "killed" in r.json()["error"]
    assert r.headers["Retry-After"]
    stats = maasd.get("/v2/models/hang/stats").json()["model_stats"][0]
    assert stats["worker_restarts"] >= 1
    # The restarted worker is up again (and would hang again): the version comes back READY by itself.
    deadline = time.monotonic() + 60
    while maasd.get("/v2/models/hang/ready").status_code != 200:
        assert time.monotonic() < deadline, "the version did not come back after the hang"
        time.sleep(0.05)
